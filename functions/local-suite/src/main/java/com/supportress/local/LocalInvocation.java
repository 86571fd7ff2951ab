package com.supportress.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.supportress.emulator.EmulatedCloudFormation;
import com.supportress.emulator.HandlerTypes;
import com.supportress.emulator.LocalFunction;
import com.supportress.emulator.LocalLambdaContext;
import com.supportress.emulator.RuntimeSerializers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One invocation of a function of template.yaml with an event file, as Lambda runs it: the payload read into the
 * handler's declared input type by the runtime's own serializer, the handler called, its result written back by the
 * runtime's serializer. A custom-resource event answers the emulated CloudFormation instead of S3. What
 * {@code ./mvnw -Plocal -Dinvoke=...} and the tests run.
 */
final class LocalInvocation {

    /** How an invocation ended: the result as the runtime returns it, or the error Lambda would report. */
    record Outcome(Object event, Object result, String resultJson, Optional<RuntimeException> error,
                   List<JsonNode> cloudFormationAnswers) {

        /** Lambda's error payload for a failed invocation. */
        String errorJson() {
            RuntimeException failure = error.orElseThrow();
            return "{\"errorType\":\"" + failure.getClass().getName() + "\",\"errorMessage\":" + quote(String.valueOf(failure.getMessage())) + "}";
        }

        private static String quote(String text) {
            return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }
    }

    private LocalInvocation() {
    }

    static Outcome invoke(LocalFunctions functions, LocalFunction function, Path eventFile) {
        byte[] payload;
        try {
            payload = Files.readAllBytes(eventFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read event file " + eventFile.toAbsolutePath(), e);
        }
        RequestHandler<Object, Object> handler = functions.handler(function);
        HandlerTypes.Signature signature = HandlerTypes.signature(handler.getClass());
        // Deserialization failures escape: in Lambda they fail the invocation before the handler runs.
        Object event = RuntimeSerializers.read(payload, signature.input());
        try (EmulatedCloudFormation cloudFormation = new EmulatedCloudFormation()) {
            if (event instanceof CloudFormationCustomResourceEvent request) {
                cloudFormation.answerHere(request);
            }
            try {
                Object result = handler.handleRequest(event, LocalLambdaContext.forFunction(function.logicalId()));
                return new Outcome(event, result, RuntimeSerializers.write(result, signature.output()), Optional.empty(), cloudFormation.responses());
            } catch (RuntimeException failure) {
                return new Outcome(event, null, null, Optional.of(failure), cloudFormation.responses());
            }
        }
    }
}
