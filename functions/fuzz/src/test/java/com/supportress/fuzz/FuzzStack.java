package com.supportress.fuzz;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.supportress.emulator.EmulatedSecrets;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.SentMail;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One emulated stack of template.yaml for the whole fuzz run: billing's test secrets stored as an operator would,
 * every function's real handler started on demand, and a fingerprint of everything a function can write (the tables
 * and buckets its template block names, and the mail its stack sent), to prove that a refused request stored nothing.
 */
final class FuzzStack {

    static final String STRIPE_SECRET = "whsec_" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    static final String CHARGEBEE_USER = "chargebee";
    static final String CHARGEBEE_PASSWORD = "cb-fuzz-" + UUID.randomUUID();

    private static final Pattern SUB_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)");
    private static FuzzStack instance;

    final EmulatedStack stack;
    final String sender;
    private final Map<String, RequestHandler<Object, Object>> handlers = new HashMap<>();

    private FuzzStack() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        sender = "no-reply-" + suffix + "@supportress.example";
        stack = EmulatedStack.create(Map.of("SenderEmail", sender, "SecurityTeamEmail", "security-" + suffix + "@supportress.example",
                "ReportsPerSourcePerHour", "1000"));
        ObjectNode secret = new ObjectMapper().createObjectNode();
        secret.putArray("stripeSigningSecrets").add(STRIPE_SECRET);
        secret.put("chargebeeUsername", CHARGEBEE_USER).put("chargebeePassword", CHARGEBEE_PASSWORD);
        EmulatedSecrets.client(stack).putSecretValue(r -> r.secretId(stack.physicalName("BillingSecrets")).secretString(secret.toString()));
    }

    static synchronized FuzzStack get() {
        if (instance == null) {
            instance = new FuzzStack();
        }
        return instance;
    }

    List<LocalFunction> functions() {
        return LocalFunction.all(stack.template());
    }

    /** The function's real handler, built the way the local suite builds it (its ApplicationContext constructor). */
    @SuppressWarnings("unchecked")
    synchronized RequestHandler<Object, Object> handler(LocalFunction function) {
        return handlers.computeIfAbsent(function.logicalId(), id -> {
            try {
                ApplicationContext context = stack.start(id);
                return (RequestHandler<Object, Object>) Class.forName(function.handlerClass())
                        .getConstructor(ApplicationContext.class).newInstance(context);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot start " + id + "; is its module a test dependency of functions/fuzz?", e);
            }
        });
    }

    /** A digest of every item of the function's tables, every object of its buckets and the mail the stack sent. */
    String fingerprint(String functionLogicalId) {
        Map<String, String> state = new TreeMap<>();
        for (String resource : writableResources(functionLogicalId)) {
            String name = stack.physicalName(resource);
            switch (String.valueOf(stack.template().resources().get(resource).get("Type"))) {
                case "AWS::DynamoDB::Table" -> stack.dynamoDb().scanPaginator(r -> r.tableName(name)).items()
                        .forEach(item -> state.put(resource + ":" + new TreeMap<>(item), ""));
                case "AWS::S3::Bucket" -> stack.s3().listObjectsV2Paginator(r -> r.bucket(name)).contents()
                        .forEach((S3Object object) -> state.put(resource + ":" + object.key(), object.eTag()));
                default -> throw new IllegalStateException(resource);
            }
        }
        if (references(functionLogicalId).contains("SenderEmail")) {
            state.put("mail", Long.toString(SentMail.all(stack.endpoint()).stream().filter(m -> m.source().contains(sender)).count()));
        }
        return sha256(state.toString());
    }

    private Set<String> writableResources(String functionLogicalId) {
        Set<String> resources = new TreeSet<>();
        for (String name : references(functionLogicalId)) {
            Object type = stack.template().resources().getOrDefault(name, Map.of()).get("Type");
            if ("AWS::DynamoDB::Table".equals(type) || "AWS::S3::Bucket".equals(type)) {
                resources.add(name);
            }
        }
        return resources;
    }

    /** Every logical id or parameter the function's template block refers to (Ref, GetAtt, Sub). */
    private Set<String> references(String functionLogicalId) {
        Set<String> names = new TreeSet<>();
        collect(stack.template().functionProperties(functionLogicalId), names);
        return names;
    }

    private static void collect(Object value, Set<String> names) {
        switch (value) {
            case Map<?, ?> map -> map.forEach((key, inner) -> {
                if ("Ref".equals(key) && inner instanceof String name) {
                    names.add(name);
                } else if ("Fn::GetAtt".equals(key) && inner instanceof List<?> list && !list.isEmpty()) {
                    names.add(String.valueOf(list.get(0)));
                } else if ("Fn::Sub".equals(key) && inner instanceof String text) {
                    Matcher matcher = SUB_REFERENCE.matcher(text);
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
                collect(inner, names);
            });
            case List<?> list -> list.forEach(inner -> collect(inner, names));
            case null, default -> {
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
