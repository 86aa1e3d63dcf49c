package io.mphub.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import io.mphub.config.ConfigurationException.Problem;

/**
 * The hub's settings as Camel resolves them: an environment variable of the key's name in upper case with '.' and
 * '-' turned into '_' first, then the {@code MPHUB_SECRETS_FILE} file, then {@code config/application.properties},
 * then the built-in {@code application.properties}. Read only through declared {@link Setting}s.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;
    private final Function<String, Optional<String>> environment;

    public Settings(Function<String, Optional<String>> lookup) {
        this(lookup, variable -> Optional.empty());
    }

    /**
     * @param environment the process's environment variables by name: a secret set there (not blank) is taken from it,
     *                    as every value, without its surrounding blanks. The lookup goes through Camel's property
     *                    parser, which reads a backslash in a value as an escape (and logs the value it found at DEBUG);
     *                    a password must arrive as set, and never be logged.
     */
    public Settings(Function<String, Optional<String>> lookup, Function<String, Optional<String>> environment) {
        this.lookup = lookup;
        this.environment = environment;
    }

    /** The environment variable that overrides a property, for messages. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** Whether a source sets it to something that is not blank. */
    public boolean isSet(Setting<?> setting) {
        return raw(setting).isPresent();
    }

    /** Reads settings, adding every problem found to {@code problems}. */
    public Reader reader(List<Problem> problems) {
        return new Reader(problems);
    }

    private Optional<String> raw(Setting<?> setting) {
        if (setting.isSecret()) {
            Optional<String> exact = environment.apply(envName(setting.key())).filter(v -> !v.isBlank());
            if (exact.isPresent()) {
                return exact;
            }
        }
        return lookup.apply(setting.key()).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** One pass over some settings: each value read once, each problem collected, none thrown. */
    public final class Reader {

        private final List<Problem> problems;
        private final int before;

        private Reader(List<Problem> problems) {
            this.problems = problems;
            this.before = problems.size();
        }

        /**
         * The value, or its default when it is not set. A value that is wrong adds a problem; the default (or null) is
         * returned then, so that reading goes on and every problem is found. Whether a setting must be set depends on
         * what uses it: {@link #require}.
         */
        public <T> T get(Setting<T> setting) {
            Optional<String> raw = raw(setting);
            if (raw.isEmpty()) {
                return setting.defaultValue();
            }
            Setting.Parsed<T> parsed = setting.parse(raw.get());
            if (parsed.problem() != null) {
                problem(setting, parsed.problem());
                return setting.defaultValue();
            }
            return parsed.value();
        }

        /** The value when it is set, or its default when it has one; a wrong value adds a problem. */
        public <T> Optional<T> optional(Setting<T> setting) {
            return Optional.ofNullable(get(setting));
        }

        /** The value; when it is not set, a problem saying {@code whatIsMissing} (a required setting in context). */
        public <T> Optional<T> require(Setting<T> setting, String whatIsMissing) {
            if (raw(setting).isEmpty() && setting.defaultValue() == null) {
                problem(setting, whatIsMissing);
                return Optional.empty();
            }
            return optional(setting);
        }

        /** A problem with a setting, with the setting's own fix. */
        public void problem(Setting<?> setting, String what) {
            problem(setting, what, setting.fix());
        }

        public void problem(Setting<?> setting, String what, String fix) {
            problems.add(Problem.setting(setting.key(), what, fix));
        }

        public void problem(Problem problem) {
            problems.add(problem);
        }

        /** True while no problem has been added since this reader was made. */
        public boolean ok() {
            return problems.size() == before;
        }

        /** A reader adding to the same problems, whose {@link #ok()} counts from now: one section of a read. */
        public Reader section() {
            return new Reader(problems);
        }

        /** A reader whose problems are nobody's: for settings read only in case they are used. */
        public Reader lenient() {
            return new Reader(new ArrayList<>());
        }

        /** Whether a source sets it (see {@link Settings#isSet}). */
        public boolean isSet(Setting<?> setting) {
            return Settings.this.isSet(setting);
        }
    }
}
