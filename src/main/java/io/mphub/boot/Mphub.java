package io.mphub.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import org.apache.camel.main.Main;

/** mphub: {@code java -jar mphub.jar}. Bad configuration stops start-up with exit code 2 and a message saying what to fix. */
public final class Mphub {

    private Mphub() {
    }

    public static void main(String[] args) throws Exception {
        Main main = new Main(Mphub.class);
        HubStart start = new HubStart();
        main.addMainListener(start);
        // Camel takes a property from the first location that has it: the secrets file, then the operators'
        // overrides beside the jar, then the defaults. Environment variables override all three.
        String secrets = System.getenv("MPHUB_SECRETS_FILE");
        if (secrets != null && !secrets.isBlank() && !Files.isReadable(Path.of(secrets))) {
            System.err.println("mphub cannot start: " + new ConfigurationException(List.of(new Problem(
                    "MPHUB_SECRETS_FILE", "the secrets file " + secrets + " does not exist or cannot be read",
                    "create it (key=value lines, readable by mphub only), or unset MPHUB_SECRETS_FILE"))).getMessage());
            System.exit(2);
        }
        main.setPropertyPlaceholderLocations((secrets == null || secrets.isBlank() ? "" : "file:" + secrets + ",")
                + "file:config/application.properties;optional=true,"
                + "classpath:application.properties");
        CamelSettings.fromEnvironment(System.getenv()).forEach(main::addOverrideProperty);
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            ConfigurationException bad = start.configurationProblem();
            System.err.println("mphub cannot start: " + (bad != null ? bad.getMessage() : e.getMessage()));
            start.close();
            System.exit(bad != null ? 2 : 1);
            return;
        }
        ConfigurationException bad = start.configurationProblem();
        if (bad != null) {
            System.err.println("mphub cannot start: " + bad.getMessage());
            System.exit(2);
        }
        System.exit(code);
    }
}
