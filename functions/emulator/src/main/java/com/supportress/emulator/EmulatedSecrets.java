package com.supportress.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;

import java.security.SecureRandom;
import java.util.Map;

/**
 * Secrets Manager secrets of template.yaml on the emulator, named as {@code !Ref} resolves them locally
 * ({@code <stack>-<LogicalId>}; Secrets Manager takes a name wherever it takes an ARN). {@code SecretString} is
 * stored as written; {@code GenerateSecretString} as CloudFormation does it: the template with a random
 * alphanumeric value under {@code GenerateStringKey}.
 */
public final class EmulatedSecrets {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.create();
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private EmulatedSecrets() {
    }

    /** A client for the stack's secrets, for tests and local tools that set or read secret values. */
    public static SecretsManagerClient client(EmulatedStack stack) {
        return stack.awsSettings().build(SecretsManagerClient.builder(), HTTP);
    }

    @SuppressWarnings("unchecked")
    static void create(EmulatedStack stack, String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        String value = (String) properties.get("SecretString");
        Map<String, Object> generate = (Map<String, Object>) properties.get("GenerateSecretString");
        if (value == null && generate != null) {
            value = generated(generate);
        }
        String secret = value == null ? "" : value;
        try (SecretsManagerClient client = client(stack)) {
            client.createSecret(r -> r.name(stack.physicalName(logicalId)).secretString(secret));
        } catch (ResourceExistsException alreadyThere) {
            // A running local suite's secret, perhaps with values set since: keep it, as CloudFormation would.
        }
    }

    private static String generated(Map<String, Object> generate) {
        int length = Integer.parseInt(String.valueOf(generate.getOrDefault("PasswordLength", 32)));
        StringBuilder random = new StringBuilder();
        for (int i = 0; i < length; i++) {
            random.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        Object template = generate.get("SecretStringTemplate");
        if (template == null) {
            return random.toString();
        }
        try {
            ObjectNode object = (ObjectNode) JSON.readTree((String) template);
            object.put((String) generate.get("GenerateStringKey"), random.toString());
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("SecretStringTemplate is not JSON", e);
        }
    }
}
