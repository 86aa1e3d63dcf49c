package io.mphub.boot;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import org.apache.camel.CamelContext;

/**
 * A command of the packaged jar beside the hub itself ({@code check}, {@code replay}): its environment and output, and
 * the settings from where the hub takes them, read through a Camel context that is never started.
 */
abstract class Command {

    protected final Map<String, String> environment;
    protected final PrintStream out;
    protected final PrintStream err;
    private final String name;

    Command(String name, Map<String, String> environment, PrintStream out, PrintStream err) {
        this.name = name;
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    /** @return the exit code */
    abstract int run(String[] args) throws Exception;

    /**
     * The hub's settings ({@link SettingsSources}) on {@code camel}.
     *
     * @throws ConfigurationException when MPHUB_SECRETS_FILE names a file that cannot be read
     */
    protected Settings settings(CamelContext camel) {
        return SettingsSources.of(environment).on(camel);
    }

    /** Says every problem as start-up says them, on {@code to}; exit code 2. */
    protected int refused(PrintStream to, List<Problem> problems) {
        to.println("mphub " + name + ": " + new ConfigurationException(problems).getMessage());
        return 2;
    }
}
