package com.supportress.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmulatedSecrets;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.ParameterOverrides;
import com.supportress.emulator.SamTemplate;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole suite on this machine. Without arguments: stands template.yaml up on the emulator (moto,
 * started here, unless AWS_ENDPOINT_URL is set) and serves every API route on 127.0.0.1:$PORT (3000)
 * until Ctrl-C. With {@code <FunctionLogicalId> <event.json>}: invokes that function once and prints
 * what its handler returned, like {@code sam local invoke -e}.
 */
public final class LocalSuite {

    /** One stack name for the server and for invoke, so both see the same tables on a shared emulator. */
    static final String STACK_NAME = "supportress-local";
    /** Where the suite leaves its `sam local invoke --env-vars` file (beside SAM's own build output). */
    static final String ENV_VARS_FILE = ".aws-sam/local-env-vars.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalSuite() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = ParameterOverrides.parse(System.getenv().getOrDefault("PARAMETER_OVERRIDES", ""));
        if (args.length == 2) {
            System.exit(invoke(Emulator.endpoint(), args[0], Path.of(args[1]), parameters, System.out));
        }
        if (args.length != 0) {
            System.err.println("usage: LocalSuite [<FunctionLogicalId> <event.json>]");
            System.exit(2);
        }
        serve(Integer.parseInt(System.getenv().getOrDefault("PORT", "3000")), parameters);
    }

    /** The suite while it runs: the stack on the emulator, every API route served, every queue polled. */
    record Running(EmulatedStack stack, LocalFunctions functions, LocalHttpServer server, QueuePollers pollers) implements AutoCloseable {

        int port() {
            return server.port();
        }

        @Override
        public void close() throws Exception {
            server.close();
            pollers.close();
            functions.close();
        }
    }

    /** Stands template.yaml up on the emulator (keeping what is already there) and starts serving on the port. */
    static Running start(URI endpoint, int port, Map<String, String> parameters) throws Exception {
        return serving(EmulatedStack.create(endpoint, STACK_NAME, withLocalOrigin(parameters, port)), port, Map.of());
    }

    /**
     * Serves a stack already stood up (its AllowedOrigins including this port, see {@link #withLocalOrigin}) on the
     * port, with its queues polled; {@code variables} overrides functions' environment (LogicalId to name to value).
     */
    static Running serving(EmulatedStack stack, int port, Map<String, Map<String, String>> variables) throws Exception {
        LocalFunctions functions = new LocalFunctions(stack, variables);
        LocalHttpServer server = new LocalHttpServer(stack, functions, port);
        return new Running(stack, functions, server, QueuePollers.start(stack, functions));
    }

    private static void serve(int port, Map<String, String> parameters) throws Exception {
        Running suite = start(Emulator.endpoint(), port, parameters);
        String stripeSecrets = System.getenv().getOrDefault("STRIPE_WEBHOOK_SECRETS", "");
        if (!stripeSecrets.isBlank()) {
            useStripeSigningSecrets(suite.stack(), stripeSecrets);
        }
        Path envVars = SamLocalEnvVars.write(suite.stack(), SamTemplate.repositoryRoot().resolve(ENV_VARS_FILE));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                suite.close();
            } catch (Exception e) {
                System.err.println("closing functions: " + e);
            }
            stopped.countDown();
        }, "local-suite-stop"));

        EmulatedStack stack = suite.stack();
        System.out.println("supportress local suite");
        System.out.println("  API:      http://127.0.0.1:" + suite.port());
        System.out.println("  emulator: " + stack.endpoint() + "   (AWS_ENDPOINT_URL=" + stack.endpoint() + " for the aws CLI)");
        System.out.println("  semantics: " + Emulator.semantics().summary());
        System.out.println("  stack:    " + STACK_NAME + " (tables, buckets and queues are named " + STACK_NAME + "-<LogicalId>)");
        if (stack.deploys("TenantUserPool")) {
            System.out.println("  sign-in:  user pool " + stack.refOf("TenantUserPool") + ", app client " + stack.refOf("TenantUserPoolClient")
                    + " (create a user: README, \"Sign in\")");
        }
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            for (LocalFunction.Route route : function.routes()) {
                System.out.printf("  %-7s %-32s -> %s%n", route.method(), route.path(), function.logicalId());
            }
        }
        System.out.println("  sam local invoke <Function> --env-vars " + SamTemplate.repositoryRoot().relativize(envVars)
                + " --region " + EmulatedStack.REGION.id() + "   (Docker; the functions reach this emulator)");
        if (!stripeSecrets.isBlank()) {
            System.out.println("  Stripe:   signing secret(s) from STRIPE_WEBHOOK_SECRETS; stripe listen --forward-to localhost:" + suite.port() + "/webhooks/stripe");
        }
        System.out.println("Ctrl-C stops the server and the emulator it started.");
        stopped.await();
    }

    /** The upload page is served from the suite's origin and PUTs to the bucket, whose CORS rule lists AllowedOrigins. */
    static Map<String, String> withLocalOrigin(Map<String, String> parameters, int port) {
        String configured = parameters.getOrDefault("AllowedOrigins",
                SamTemplate.load().parameterDefault("AllowedOrigins").map(String::valueOf).orElse(""));
        Map<String, String> withOrigin = new HashMap<>(parameters);
        withOrigin.put("AllowedOrigins", Stream.of(configured, "http://127.0.0.1:" + port, "http://localhost:" + port)
                .filter(origin -> !origin.isBlank()).collect(Collectors.joining(",")));
        return withOrigin;
    }

    /**
     * Stands the stack up on the emulator (keeping what a running suite already made there), invokes one function once
     * with the event file and prints what Lambda would return: the result, or the error payload with exit status 1.
     */
    static int invoke(URI endpoint, String logicalId, Path eventFile, Map<String, String> parameters, PrintStream out) throws Exception {
        if (!Files.isRegularFile(eventFile)) {
            throw new IllegalArgumentException("no event file " + eventFile.toAbsolutePath());
        }
        EmulatedStack stack = EmulatedStack.create(endpoint, STACK_NAME, parameters);
        LocalFunction function = LocalFunction.named(stack.template(), logicalId);
        try (LocalFunctions functions = new LocalFunctions(stack)) {
            LocalInvocation.Outcome outcome = LocalInvocation.invoke(functions, function, eventFile);
            for (JsonNode answer : outcome.cloudFormationAnswers()) {
                out.println("CloudFormation received: " + answer);
            }
            if (outcome.error().isPresent()) {
                outcome.error().get().printStackTrace();
                out.println(outcome.errorJson());
                return 1;
            }
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(json.writeValueAsString(json.readTree(outcome.resultJson())));
            return 0;
        }
    }

    /**
     * `stripe listen` signs with a secret of its own (`stripe listen --print-secret`); STRIPE_WEBHOOK_SECRETS
     * (comma-separated, as the function reads it without Secrets Manager) puts it into the suite's BillingSecrets.
     */
    static void useStripeSigningSecrets(EmulatedStack stack, String secrets) throws Exception {
        String secretId = stack.physicalName("BillingSecrets");
        try (SecretsManagerClient client = EmulatedSecrets.client(stack)) {
            ObjectNode value = (ObjectNode) JSON.readTree(client.getSecretValue(r -> r.secretId(secretId)).secretString());
            ArrayNode signing = value.putArray("stripeSigningSecrets");
            for (String secret : secrets.split(",")) {
                if (!secret.isBlank()) {
                    signing.add(secret.strip());
                }
            }
            client.putSecretValue(r -> r.secretId(secretId).secretString(value.toString()));
        }
    }
}
