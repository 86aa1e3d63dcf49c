package io.mphub.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Where the hub's settings come from, for the hub and for {@code check} alike: Camel takes a property from the first
 * location that has it (the secrets file, then the operators' overrides beside the jar, then the defaults), and
 * environment variables override all three; {@code overrides} are the Camel settings the environment names by their
 * documented variables ({@link CamelSettings#fromEnvironment}).
 */
record SettingsSources(String locations, Map<String, String> overrides) {

    static final String SECRETS_FILE = "MPHUB_SECRETS_FILE";

    /** @throws ConfigurationException when MPHUB_SECRETS_FILE names a file that cannot be read */
    static SettingsSources of(Map<String, String> environment) {
        String secrets = environment.get(SECRETS_FILE);
        boolean named = secrets != null && !secrets.isBlank();
        if (named && !Files.isReadable(Path.of(secrets))) {
            throw new ConfigurationException(List.of(new Problem(SECRETS_FILE, "the secrets file " + secrets
                    + " does not exist or cannot be read",
                    "create it (key=value lines, readable by mphub only), or unset " + SECRETS_FILE)));
        }
        return new SettingsSources((named ? "file:" + secrets + "," : "")
                + "file:config/application.properties;optional=true,"
                + "classpath:application.properties", CamelSettings.fromEnvironment(environment));
    }

    /**
     * Puts these sources on the properties of a Camel context that camel-main does not run, as camel-main does on the
     * hub's, and reads the settings through them.
     */
    Settings on(CamelContext camel) {
        PropertiesComponent properties = camel.getPropertiesComponent();
        properties.addLocation(locations);
        overrides.forEach(properties::addOverrideProperty);
        return settings(camel);
    }

    /** The settings as the hub reads them through its Camel context's properties, secrets from the environment as set. */
    static Settings settings(CamelContext camel) {
        return new Settings(camel.getPropertiesComponent()::resolveProperty,
                variable -> Optional.ofNullable(System.getenv(variable)));
    }
}
