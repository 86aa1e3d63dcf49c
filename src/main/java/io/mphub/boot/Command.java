package io.mphub.boot;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.mphub.config.ConfigurationException;
import io.mphub.config.ConfigurationException.Problem;
import io.mphub.config.Settings;
import io.mphub.kafka.KafkaClients;
import io.mphub.kafka.KafkaSecurity;
import io.mphub.kafka.KafkaSettings;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * A command of the packaged jar beside the hub itself ({@code check}, {@code replay}, {@code audit}): its environment and
 * output, its arguments, the Kafka the hub uses, and
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

    /**
     * The arguments as options: each of {@code flags} stands alone, each of {@code valued} takes the next argument.
     *
     * @return empty (the problem said, with {@code usage}) when one is unknown or lacks its value
     */
    protected Optional<Map<String, String>> options(String[] args, Set<String> flags, Set<String> valued,
            String usage) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (flags.contains(args[i])) {
                options.put(args[i], "");
            } else if (valued.contains(args[i]) && i + 1 < args.length) {
                options.put(args[i], args[++i]);
            } else {
                usage(valued.contains(args[i]) ? args[i] + " needs a value" : "unknown argument " + args[i], usage);
                return Optional.empty();
            }
        }
        return Optional.of(options);
    }

    /** Says what is wrong with the arguments, and the usage; exit code 2. */
    protected int usage(String problem, String usage) {
        err.println("mphub " + name + ": " + problem);
        err.println(usage);
        return 2;
    }

    /**
     * The clients of the cluster the hub uses (the embedded broker's address when none is set).
     *
     * @return empty (said on {@code err}) when Kafka does not answer within 10 s
     * @throws ConfigurationException when the cluster refuses the hub's credentials or the TLS handshake fails
     */
    protected Optional<KafkaClients> kafka(KafkaSettings kafka) {
        String bootstrap = kafka.bootstrapServers().orElse("localhost:" + kafka.embeddedPort());
        KafkaClients clients = kafka.clients(bootstrap);
        try (Admin admin = Admin.create(clients.admin())) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(10_000)).nodes().get(12, TimeUnit.SECONDS);
            return Optional.of(clients);
        } catch (Exception e) {
            if (e instanceof ExecutionException && e.getCause() instanceof AuthenticationException refused) {
                throw new ConfigurationException(List.of(KafkaSecurity.refused(refused)));
            }
            err.println("mphub " + name + ": Kafka at " + bootstrap + " does not answer" + (kafka.bootstrapServers()
                    .isEmpty() ? " (the embedded broker runs only while the hub runs: start the hub, or set"
                    + " KAFKA_BOOTSTRAP_SERVERS)" : ""));
            return Optional.empty();
        }
    }

    /** Says every problem as start-up says them, on {@code to}; exit code 2. */
    protected int refused(PrintStream to, List<Problem> problems) {
        to.println("mphub " + name + ": " + new ConfigurationException(problems).getMessage());
        return 2;
    }
}
