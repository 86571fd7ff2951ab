package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.ParameterOverrides;
import com.supportress.emulator.HandlerTypes;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SamTemplate;

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

    private LocalSuite() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> parameters = ParameterOverrides.parse(System.getenv().getOrDefault("PARAMETER_OVERRIDES", ""));
        if (args.length == 2) {
            invoke(args[0], Path.of(args[1]), parameters);
            return;
        }
        if (args.length != 0) {
            System.err.println("usage: LocalSuite [<FunctionLogicalId> <event.json>]");
            System.exit(2);
        }
        serve(Integer.parseInt(System.getenv().getOrDefault("PORT", "3000")), parameters);
    }

    private static void serve(int port, Map<String, String> parameters) throws Exception {
        EmulatedStack stack = EmulatedStack.create(STACK_NAME, withLocalOrigin(parameters, port));
        LocalFunctions functions = new LocalFunctions(stack);
        LocalHttpServer server = new LocalHttpServer(stack, functions, port);
        QueuePollers pollers = QueuePollers.start(stack, functions);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            try {
                pollers.close();
                functions.close();
            } catch (Exception e) {
                System.err.println("closing functions: " + e);
            }
            stopped.countDown();
        }, "local-suite-stop"));

        System.out.println("supportress local suite");
        System.out.println("  API:      http://127.0.0.1:" + server.port());
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

    private static void invoke(String logicalId, Path eventFile, Map<String, String> parameters) throws Exception {
        if (!Files.isRegularFile(eventFile)) {
            throw new IllegalArgumentException("no event file " + eventFile.toAbsolutePath());
        }
        EmulatedStack stack = EmulatedStack.create(STACK_NAME, parameters);
        LocalFunction function = LocalFunction.named(stack.template(), logicalId);
        try (LocalFunctions functions = new LocalFunctions(stack)) {
            RequestHandler<Object, Object> handler = functions.handler(function);
            Object event = SampleEvents.load(eventFile, HandlerTypes.inputType(handler.getClass()));
            Object result = handler.handleRequest(event, LocalLambdaContext.forFunction(logicalId));
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
        }
    }
}
