package com.supportress.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.LocalFunction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The suite's environment as a SAM CLI {@code --env-vars} file, so {@code sam local invoke} runs a function in Lambda's
 * own container (Docker) against this suite's emulator, tables and buckets. SAM passes on only variables the template
 * declares for the function, and AWS_ENDPOINT_URL is not one of them: the endpoint travels in JAVA_TOOL_OPTIONS
 * (declared in Globals) as {@code -Daws.endpointUrl}, the SDK's system property that AwsSettings also reads. From
 * inside the container the host is {@code host.docker.internal}.
 */
final class SamLocalEnvVars {

    static final String DOCKER_HOST = "host.docker.internal";
    /** SAM sets these itself (region, credentials, function name) from its own options. */
    private static final Set<String> SET_BY_SAM = Set.of("AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY", "AWS_LAMBDA_FUNCTION_NAME");

    private SamLocalEnvVars() {
    }

    static Map<String, Map<String, String>> of(EmulatedStack stack) {
        String endpoint = "-Daws.endpointUrl=" + fromContainer(stack.endpoint());
        Map<String, Map<String, String>> byFunction = new LinkedHashMap<>();
        for (LocalFunction function : LocalFunction.all(stack.template())) {
            Map<String, String> variables = new LinkedHashMap<>();
            stack.environment(function.logicalId()).variables().forEach((name, value) -> {
                if (!SET_BY_SAM.contains(name)) {
                    variables.put(name, value);
                }
            });
            variables.merge("JAVA_TOOL_OPTIONS", endpoint, (options, property) -> options + " " + property);
            byFunction.put(function.logicalId(), variables);
        }
        return byFunction;
    }

    /** Writes the file (replacing an older one) and returns its path. */
    static Path write(EmulatedStack stack, Path file) {
        try {
            Files.createDirectories(file.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), of(stack));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static URI fromContainer(URI endpoint) {
        String host = endpoint.getHost();
        if (!"127.0.0.1".equals(host) && !"localhost".equals(host)) {
            return endpoint;
        }
        return URI.create(endpoint.getScheme() + "://" + DOCKER_HOST + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
                + endpoint.getRawPath());
    }
}
