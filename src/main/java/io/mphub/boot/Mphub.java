package io.mphub.boot;

import java.util.Arrays;
import java.util.List;

import io.mphub.config.ConfigurationException;
import org.apache.camel.main.Main;

/**
 * mphub: {@code java -jar mphub.jar} runs the hub; {@code java -jar mphub.jar check} checks its route files and
 * settings without starting it ({@link Check}); {@code java -jar mphub.jar replay …} puts dead letters back
 * ({@link ReplayCommand}); {@code java -jar mphub.jar audit …} says which third parties received a user's data
 * ({@link AuditCommand}). Bad configuration exits with code 2 and a message saying what to fix.
 */
public final class Mphub {

    private Mphub() {
    }

    public static void main(String[] args) throws Exception {
        // A command is the first argument; anything else (nothing, or Camel's own options) runs the hub.
        switch (args.length == 0 ? "" : args[0]) {
            case "check" -> System.exit(new Check(System.getenv(), System.out, System.err)
                    .run(Arrays.copyOfRange(args, 1, args.length)));
            case "replay" -> System.exit(new ReplayCommand(System.getenv(), System.out, System.err)
                    .run(Arrays.copyOfRange(args, 1, args.length)));
            case "audit" -> System.exit(new AuditCommand(System.getenv(), System.out, System.err)
                    .run(Arrays.copyOfRange(args, 1, args.length)));
            default -> hub(args);
        }
    }

    private static void hub(String[] args) throws Exception {
        SettingsSources sources;
        try {
            sources = SettingsSources.of(System.getenv());
        } catch (ConfigurationException e) {
            System.err.println("mphub cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        Main main = new Main(Mphub.class);
        HubStart start = new HubStart();
        main.addMainListener(start);
        main.setPropertyPlaceholderLocations(sources.locations());
        sources.overrides().forEach(main::addOverrideProperty);
        int code;
        try {
            code = main.run(args);
        } catch (Exception e) {
            ConfigurationException bad = start.configurationProblem();
            if (bad == null) {
                bad = CamelRoutes.refusalAtStart(e).map(p -> new ConfigurationException(List.of(p))).orElse(null);
            }
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
