package com.supportress.emulator;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.supportress.shared.config.FunctionHandler;
import com.supportress.shared.schedule.ScheduleEvent;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the Lambda runtime's choice of input type and serializer, as its runtime interface client makes it; no emulator. */
class RuntimeSerializersTest {

    private static final String SCHEDULER = """
            {"version":"0","id":"49672d39-8c3a-4cc6-8de5-c57b0acf718f","detail-type":"Scheduled Event","source":"aws.scheduler",
             "account":"123456789012","time":"2026-11-24T18:35:00Z","region":"us-east-1",
             "resources":["arn:aws:scheduler:us-east-1:123456789012:schedule/default/Retry"],"detail":"{}"}""";
    private static final String RULE = SCHEDULER.replace("\"detail\":\"{}\"", "\"detail\":{}").replace("aws.scheduler", "aws.events");

    @Test
    void scheduleEventReadsSchedulersStringDetailAndARulesObjectDetail() {
        ScheduleEvent scheduler = (ScheduleEvent) RuntimeSerializers.read(bytes(SCHEDULER), ScheduleEvent.class);
        ScheduleEvent rule = (ScheduleEvent) RuntimeSerializers.read(bytes(RULE), ScheduleEvent.class);

        assertEquals("49672d39-8c3a-4cc6-8de5-c57b0acf718f", scheduler.correlationId());
        assertEquals("{}", scheduler.detail());
        assertEquals(List.of("arn:aws:scheduler:us-east-1:123456789012:schedule/default/Retry"), scheduler.resources());
        assertEquals(Map.of(), rule.detail());
        assertEquals("aws.events", rule.source());
        assertEquals("manual", ((ScheduleEvent) RuntimeSerializers.read(bytes("{}"), ScheduleEvent.class)).correlationId());
    }

    /** aws/aws-lambda-java-libs#479: why no handler here takes ScheduledEvent. */
    @Test
    void scheduledEventCannotReadWhatEventBridgeSchedulerSends() {
        RuntimeException failed = assertThrows(RuntimeException.class, () -> RuntimeSerializers.read(bytes(SCHEDULER), ScheduledEvent.class));
        assertTrue(String.valueOf(failed.getMessage()).contains("MismatchedInputException"), failed.getMessage());
        assertInstanceOf(ScheduledEvent.class, RuntimeSerializers.read(bytes(RULE), ScheduledEvent.class));
    }

    @Test
    void typesTheEventsLibraryDoesNotListGoThroughTheRuntimesPlainJackson() {
        // JacksonFactory.getSerializer(Type), as the runtime calls it for the handler's declared type.
        assertEquals("com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory$TypeSerializer",
                RuntimeSerializers.serializerFor(APIGatewayV2HTTPEvent.class).getClass().getName());
        APIGatewayV2HTTPEvent event = (APIGatewayV2HTTPEvent) RuntimeSerializers.read(bytes("""
                {"version":"2.0","rawPath":"/incidents","isBase64Encoded":false,"unknownField":1,
                 "requestContext":{"http":{"method":"POST"},"authorizer":{"jwt":{"claims":{"sub":"u1"},"scopes":["a"]}}}}"""),
                APIGatewayV2HTTPEvent.class);
        assertEquals("/incidents", event.getRawPath());
        assertEquals("u1", event.getRequestContext().getAuthorizer().getJwt().getClaims().get("sub"));
    }

    @Test
    void recordResultsAreWrittenAsTheRuntimeReturnsThem() {
        assertEquals("{\"attempted\":1,\"failed\":0}", RuntimeSerializers.write(new Result(1, 0), Result.class));
        assertEquals("null", RuntimeSerializers.write(null, Void.class));
    }

    @Test
    void inputTypeIsFoundThroughGenericBasesAsTheRuntimeFindsIt() {
        assertEquals(APIGatewayV2HTTPEvent.class, HandlerTypes.inputType(HttpLike.class));
        assertEquals(APIGatewayV2HTTPResponse.class, HandlerTypes.signature(HttpLike.class).output());
        assertEquals(ScheduleEvent.class, HandlerTypes.inputType(Scheduled.class));
        ParameterizedType map = assertInstanceOf(ParameterizedType.class, HandlerTypes.inputType(MapHandler.class));
        assertEquals(Map.class, map.getRawType());
    }

    @Test
    void aHandlerWithoutConcreteTypesIsRefusedAsTheRuntimeRefusesIt() {
        assertThrows(IllegalArgumentException.class, () -> HandlerTypes.signature(Unbound.class));
        assertThrows(IllegalArgumentException.class, () -> HandlerTypes.signature(String.class));
    }

    record Result(int attempted, int failed) {
    }

    abstract static class Middle<R> extends FunctionHandler<APIGatewayV2HTTPEvent, R> {
        Middle() {
            super(null);
        }
    }

    static class HttpLike extends Middle<APIGatewayV2HTTPResponse> {
        @Override
        public APIGatewayV2HTTPResponse execute(APIGatewayV2HTTPEvent input) {
            return null;
        }
    }

    static class Scheduled extends FunctionHandler<ScheduleEvent, Result> {
        Scheduled() {
            super(null);
        }

        @Override
        public Result execute(ScheduleEvent input) {
            return null;
        }
    }

    static class MapHandler implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return null;
        }
    }

    static class Unbound<T> implements RequestHandler<T, String> {
        @Override
        public String handleRequest(T input, Context context) {
            return null;
        }
    }

    private static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
