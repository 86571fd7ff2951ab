package com.supportress.shared.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.supportress.shared.config.FunctionHandler;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the JSON lines as the functions' encoder writes them (correlation fields, bounded stack traces). */
class JsonLogLinesTest {

    private static final String TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger("com.supportress.test.JsonLogLines");

    private static ApplicationContext context;
    private static JsonMapper json;
    private static final List<String> LINES = new ArrayList<>();

    /** A batch handler as the SQS consumers are: a scope per record inside the invocation's. */
    static final class BatchHandler extends FunctionHandler<List<String>, Integer> {
        BatchHandler(ApplicationContext context) {
            super(context);
        }

        @Override
        public Integer execute(List<String> records) {
            for (String record : records) {
                try (LogContext ignored = LogContext.forRequest(record)) {
                    LogContext.put("uploadId", "upl_" + record);
                    LOG.info("record done");
                }
            }
            LOG.info("batch done");
            return records.size();
        }

        @Override
        protected void prime(ApplicationContext context) {
        }
    }

    @BeforeAll
    static void captureLines() {
        context = FunctionApplication.start(FunctionEnvironment.of(Map.of("AWS_LAMBDA_FUNCTION_NAME", "stack-UploadIngestFunction")));
        json = context.getBean(JsonMapper.class);
        LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
        JsonEncoder encoder = JsonLogConfigurator.encoder(logback);
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                LINES.add(new String(encoder.encode(event), StandardCharsets.UTF_8));
            }
        };
        appender.setContext(logback);
        appender.start();
        Logger logger = logback.getLogger(LOG.getName());
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        logger.addAppender(appender);
    }

    @AfterAll
    static void close() {
        context.close();
    }

    @BeforeEach
    void clear() {
        LINES.clear();
    }

    @Test
    void everyLineOfEveryRecordCarriesTheInvocationsFields() throws IOException {
        BatchHandler handler = new BatchHandler(context);

        handler.handleRequest(List.of("a", "b", "c"), lambdaContext("req-1"));

        List<JsonNode> lines = lines();
        assertEquals(4, lines.size());
        for (JsonNode line : lines) {
            JsonNode mdc = line.get("mdc");
            assertEquals("req-1", text(mdc, "awsRequestId"));
            assertEquals("1-5759e988-bd862e3fe1be46a994272793", text(mdc, "traceId"));
            assertEquals("stack-UploadIngestFunction", text(mdc, "functionName"));
            assertEquals("true", text(mdc, "coldStart"));
        }
        assertEquals(List.of("a", "b", "c"), lines.subList(0, 3).stream().map(line -> text(line.get("mdc"), "requestId")).toList());
        assertEquals("upl_c", text(lines.get(2).get("mdc"), "uploadId"));
        assertNull(lines.get(3).get("mdc").get("requestId"), "a record's own fields end with the record");
        assertNull(lines.get(3).get("mdc").get("uploadId"));
    }

    @Test
    void onlyTheFirstInvocationAfterStartOrRestoreIsCold() throws IOException {
        BatchHandler handler = new BatchHandler(context);

        handler.handleRequest(List.of("a"), lambdaContext("req-1"));
        handler.handleRequest(List.of("b"), lambdaContext("req-2"));
        handler.priming().afterRestore(null);
        handler.handleRequest(List.of("c"), lambdaContext("req-3"));

        List<String> cold = lines().stream().filter(line -> "record done".equals(text(line, "formattedMessage")))
                .map(line -> text(line.get("mdc"), "coldStart")).toList();
        assertEquals(List.of("true", "false", "true"), cold);
    }

    @Test
    void nothingOfAnInvocationLeaksIntoTheNextLine() throws IOException {
        new BatchHandler(context).handleRequest(List.of("a"), lambdaContext("req-1"));
        LOG.info("outside any invocation");

        JsonNode last = lines().getLast();
        assertTrue(last.get("mdc") == null || last.get("mdc").get("awsRequestId") == null, last.toString());
    }

    @Test
    void stackTracesAreBoundedInFramesCausesAndMessageLength() throws IOException {
        RuntimeException failure = chain(10);

        LOG.error("request failed", failure);

        String line = LINES.getFirst();
        assertTrue(line.length() < 40_000, "line of " + line.length() + " characters");
        JsonNode throwable = json.readValue(line, JsonNode.class).get("throwable");
        int causes = 0;
        for (JsonNode current = throwable; current != null; current = current.get("cause")) {
            assertTrue(current.get("stepArray").size() <= BoundedJsonEncoder.MAX_FRAMES);
            assertTrue(text(current, "message").length() < BoundedJsonEncoder.MAX_MESSAGE_CHARS + 100);
            causes++;
        }
        assertEquals(BoundedJsonEncoder.MAX_CAUSES + 1, causes);
        assertTrue(throwable.get("omittedFrames").getIntValue() > 100, "the line says how many frames it left out");
        assertEquals(BoundedJsonEncoder.MAX_SUPPRESSED, throwable.get("suppressed").size());
        assertEquals("com.supportress.shared.log.JsonLogLinesTest", text(throwable.get("stepArray").get(0), "className"));
    }

    @Test
    void shortStackTraceIsKeptWhole() throws Exception {
        // Made on a fresh thread, so its stack is a few frames deep rather than JUnit's many.
        RuntimeException[] shallow = new RuntimeException[1];
        Thread thread = new Thread(() -> shallow[0] = new IllegalStateException("short"));
        thread.start();
        thread.join();

        LOG.error("failed", shallow[0]);

        JsonNode throwable = json.readValue(LINES.getFirst(), JsonNode.class).get("throwable");
        assertEquals(shallow[0].getStackTrace().length, throwable.get("stepArray").size());
        assertNull(throwable.get("omittedFrames"));
        assertEquals("short", text(throwable, "message"));
    }

    /** An exception thrown 200 calls deep, with a long message, many suppressed ones and a chain of causes. */
    private static RuntimeException chain(int causes) {
        RuntimeException cause = null;
        for (int i = 0; i < causes; i++) {
            cause = new IllegalStateException("cause " + i, cause);
        }
        RuntimeException top = deep(200, cause);
        for (int i = 0; i < 20; i++) {
            top.addSuppressed(new IllegalArgumentException("suppressed " + i));
        }
        return top;
    }

    private static RuntimeException deep(int depth, RuntimeException cause) {
        return depth == 0 ? new RuntimeException("x".repeat(10_000), cause) : deep(depth - 1, cause);
    }

    private List<JsonNode> lines() throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : LINES) {
            nodes.add(json.readValue(line, JsonNode.class));
        }
        return nodes;
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object == null ? null : object.get(field);
        return value == null ? null : value.getStringValue();
    }

    private static Context lambdaContext(String requestId) {
        return new Context() {
            public String getAwsRequestId() { return requestId; }
            public String getLogGroupName() { return "/aws/lambda/stack-UploadIngestFunction"; }
            public String getLogStreamName() { return "stream"; }
            public String getFunctionName() { return "stack-UploadIngestFunction"; }
            public String getFunctionVersion() { return "1"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:stack-UploadIngestFunction:live"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return 30_000; }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() { return null; }
            public String getXrayTraceId() { return TRACE_HEADER; }
        };
    }
}
