package com.supportress.regionbuckets;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.SampleEvents;
import com.supportress.shared.aws.SecondaryRegionBuckets;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectLockConfiguration;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: the custom resource against the emulator (moto unless AWS_ENDPOINT_URL is set), answering a local ResponseURL. */
@Tag("emulator")
class RegionBucketsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BUCKETS = List.of("UploadReplicaBucket", "BackupReplicaBucket");

    private EmulatedStack stack;
    private RegionBucketsHandler handler;
    private HttpServer cloudFormation;
    private final BlockingQueue<ReceivedResponse> responses = new LinkedBlockingQueue<>();
    private volatile int responseStatus = 200;
    private String namePrefix;

    /** One PUT CloudFormation's response URL received. */
    private record ReceivedResponse(String method, String path, List<String> contentType, JsonNode body) {
    }

    @BeforeEach
    void standUp() throws IOException {
        stack = EmulatedStack.create(Map.of());
        handler = new RegionBucketsHandler(stack.start("RegionBucketsFunction"));
        // Not the stack's own prefix: the emulated stack has already created those buckets itself.
        namePrefix = stack.stackName() + "-crd-" + Emulator.accountId();
        cloudFormation = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        cloudFormation.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            responses.add(new ReceivedResponse(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().get("Content-Type"), JSON.readTree(body)));
            exchange.sendResponseHeaders(responseStatus, -1);
            exchange.close();
        });
        cloudFormation.start();
    }

    @AfterEach
    void tearDown() {
        cloudFormation.stop(0);
        handler.close();
    }

    @Test
    void createMakesEveryBucketInTheSecondRegionPrivateEncryptedVersionedAndTlsOnly() throws Exception {
        JsonNode answer = invoke(event("create.json", e -> { }));

        assertEquals("SUCCESS", answer.get("Status").asText(), answer.toString());
        assertEquals(stack.secondaryRegion().id() + "/" + namePrefix, answer.get("PhysicalResourceId").asText());
        S3Client s3 = stack.s3(stack.secondaryRegion());
        for (String name : BUCKETS) {
            String bucket = SecondaryRegionBuckets.bucketName(namePrefix, name);
            assertEquals(bucket, answer.get("Data").get(name).asText());
            assertEquals("arn:aws:s3:::" + bucket, answer.get("Data").get(name + "Arn").asText());

            assertEquals(stack.secondaryRegion().id(), s3.getBucketLocation(r -> r.bucket(bucket)).locationConstraintAsString());
            PublicAccessBlockConfiguration block = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
            assertTrue(block.blockPublicAcls() && block.ignorePublicAcls() && block.blockPublicPolicy() && block.restrictPublicBuckets(), block.toString());
            assertEquals(ServerSideEncryption.AES256, s3.getBucketEncryption(r -> r.bucket(bucket))
                    .serverSideEncryptionConfiguration().rules().getFirst().applyServerSideEncryptionByDefault().sseAlgorithm());
            assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(bucket)).status());
            assertEquals(ObjectOwnership.BUCKET_OWNER_ENFORCED, s3.getBucketOwnershipControls(r -> r.bucket(bucket))
                    .ownershipControls().rules().getFirst().objectOwnership());
            JsonNode statement = JSON.readTree(s3.getBucketPolicy(r -> r.bucket(bucket)).policy()).get("Statement").get(0);
            assertEquals("Deny", statement.get("Effect").asText());
            assertEquals("false", statement.get("Condition").get("Bool").get("aws:SecureTransport").asText());
            assertEquals("arn:aws:s3:::" + bucket + "/*", statement.get("Resource").get(1).asText());
        }

        ObjectLockConfiguration lock = s3.getObjectLockConfiguration(r -> r.bucket(SecondaryRegionBuckets.bucketName(namePrefix, "BackupReplicaBucket")))
                .objectLockConfiguration();
        assertEquals(ObjectLockEnabled.ENABLED, lock.objectLockEnabled());
        assertEquals(ObjectLockRetentionMode.GOVERNANCE, lock.rule().defaultRetention().mode());
        assertEquals(35, lock.rule().defaultRetention().days());
        S3Exception noLock = assertThrows(S3Exception.class, () ->
                s3.getObjectLockConfiguration(r -> r.bucket(SecondaryRegionBuckets.bucketName(namePrefix, "UploadReplicaBucket"))));
        assertEquals("ObjectLockConfigurationNotFoundError", noLock.awsErrorDetails().errorCode(), "no Object Lock where none was asked");
    }

    @Test
    void responseIsPutToTheResponseUrlWithAnEmptyContentType() throws Exception {
        CustomResourceResponse returned = handler.handleRequest(event("create.json", e -> { }), null);

        ReceivedResponse received = responses.poll(5, TimeUnit.SECONDS);
        assertNotNull(received, "nothing reached the response URL");
        assertEquals("PUT", received.method());
        assertEquals("/cloudformation-response", received.path());
        assertEquals(List.of(""), received.contentType());
        CloudFormationCustomResourceEvent sample = SampleEvents.load("region-buckets/create.json", CloudFormationCustomResourceEvent.class);
        assertEquals(sample.getStackId(), received.body().get("StackId").asText());
        assertEquals(sample.getRequestId(), received.body().get("RequestId").asText());
        assertEquals(sample.getLogicalResourceId(), received.body().get("LogicalResourceId").asText());
        assertEquals(returned.physicalResourceId(), received.body().get("PhysicalResourceId").asText());
        assertEquals(returned.data().size(), received.body().get("Data").size());
        assertFalse(received.body().has("Reason"), "a success carries no reason");
        assertTrue(responses.isEmpty(), "exactly one answer per request");
    }

    @Test
    void createTwiceSucceedsTwiceWithTheSameResourceAndBuckets() throws Exception {
        JsonNode first = invoke(event("create.json", e -> { }));
        JsonNode second = invoke(event("create.json", e -> { }));

        assertEquals("SUCCESS", second.get("Status").asText(), second.toString());
        assertEquals(first.get("PhysicalResourceId"), second.get("PhysicalResourceId"));
        assertEquals(first.get("Data"), second.get("Data"));
        List<String> ours = stack.s3(stack.secondaryRegion()).listBuckets().buckets().stream()
                .map(b -> b.name()).filter(name -> name.startsWith(namePrefix)).toList();
        assertEquals(2, ours.size(), ours.toString());
    }

    @Test
    void deleteAnswersSuccessAndKeepsTheBuckets() throws Exception {
        JsonNode created = invoke(event("create.json", e -> { }));
        String physicalId = created.get("PhysicalResourceId").asText();

        JsonNode deleted = invoke(event("delete.json", e -> e.setPhysicalResourceId(physicalId)));

        assertEquals("SUCCESS", deleted.get("Status").asText(), deleted.toString());
        assertEquals(physicalId, deleted.get("PhysicalResourceId").asText());
        S3Client s3 = stack.s3(stack.secondaryRegion());
        for (String name : BUCKETS) {
            String bucket = SecondaryRegionBuckets.bucketName(namePrefix, name);
            s3.headBucket(r -> r.bucket(bucket));
            assertEquals(BucketVersioningStatus.ENABLED, s3.getBucketVersioning(r -> r.bucket(bucket)).status());
        }
    }

    @Test
    void deleteOfAResourceWhoseCreateFailedStillSucceeds() throws Exception {
        JsonNode deleted = invoke(event("delete.json", e -> {
            e.setPhysicalResourceId(e.getLogicalResourceId());
            e.getResourceProperties().put("Region", EmulatedStack.REGION.id());
        }));

        assertEquals("SUCCESS", deleted.get("Status").asText(), "a rollback must be able to finish");
    }

    static Stream<Arguments> invalidProperties() {
        return Stream.of(
                Arguments.of("Region missing", (Consumer<Map<String, Object>>) p -> p.remove("Region"), "Region is missing"),
                Arguments.of("Region is the stack's own", (Consumer<Map<String, Object>>) p -> p.put("Region", EmulatedStack.REGION.id()),
                        "the stack's own region"),
                Arguments.of("Buckets empty", (Consumer<Map<String, Object>>) p -> p.put("Buckets", List.of()), "Buckets is missing or empty"),
                Arguments.of("Name with an underscore", (Consumer<Map<String, Object>>) p ->
                        p.put("Buckets", List.of(Map.of("Name", "Upload_Replica"))), "Buckets[0].Name 'Upload_Replica'"),
                Arguments.of("bucket name over 63 characters", (Consumer<Map<String, Object>>) p ->
                        p.put("Buckets", List.of(Map.of("Name", "B".repeat(60)))), "is not a valid S3 bucket name"),
                Arguments.of("Name twice", (Consumer<Map<String, Object>>) p ->
                        p.put("Buckets", List.of(Map.of("Name", "Replica"), Map.of("Name", "REPLICA"))), "used twice"),
                Arguments.of("retention of zero days", (Consumer<Map<String, Object>>) p ->
                        p.put("Buckets", List.of(Map.of("Name", "Backup", "ObjectLockGovernanceDays", "0"))), "ObjectLockGovernanceDays '0'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidProperties")
    void invalidPropertiesAnswerFailedWithTheReasonAndCreateNothing(String ignoredCase, Consumer<Map<String, Object>> change, String reason)
            throws Exception {
        JsonNode answer = invoke(event("create.json", e -> change.accept(e.getResourceProperties())));

        assertEquals("FAILED", answer.get("Status").asText());
        assertTrue(answer.get("Reason").asText().contains(reason), answer.get("Reason").asText());
        assertEquals("SecondaryRegionBuckets", answer.get("PhysicalResourceId").asText());
        assertEquals(List.of(), bucketsWithOurPrefix(), "nothing created");
    }

    @Test
    void bucketAlreadyInAnotherRegionAnswersFailedNamingThatRegion() throws Exception {
        Region elsewhere = Region.EU_WEST_1;
        String upload = SecondaryRegionBuckets.bucketName(namePrefix, "UploadReplicaBucket");
        stack.s3(elsewhere).createBucket(r -> r.bucket(upload).createBucketConfiguration(c -> c.locationConstraint(elsewhere.id())));

        JsonNode answer = invoke(event("create.json", e -> { }));

        assertEquals("FAILED", answer.get("Status").asText());
        assertTrue(answer.get("Reason").asText().contains("already exists in eu-west-1"), answer.get("Reason").asText());
    }

    @Test
    void setupOverrunningTheInvocationsTimeIsAnsweredFailedBeforeLambdaStopsIt() throws Exception {
        // An S3 endpoint that accepts connections and never answers: every call hangs until its socket timeout.
        try (ServerSocket silentS3 = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Map<String, String> variables = new HashMap<>(stack.environment("RegionBucketsFunction").variables());
            variables.put("AWS_ENDPOINT_URL", "http://127.0.0.1:" + silentS3.getLocalPort());
            try (RegionBucketsHandler stuck = new RegionBucketsHandler(FunctionApplication.start(FunctionEnvironment.of(variables)))) {
                long started = System.nanoTime();
                stuck.handleRequest(event("create.json", e -> { }), lambdaContext(RegionBucketsHandler.ANSWER_RESERVE.plusSeconds(1)));
                Duration took = Duration.ofNanos(System.nanoTime() - started);

                JsonNode answer = responses.poll(5, TimeUnit.SECONDS).body();
                assertEquals("FAILED", answer.get("Status").asText());
                assertTrue(answer.get("Reason").asText().contains("not done within"), answer.get("Reason").asText());
                assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "answered after " + took);
            }
        }
    }

    @Test
    void unreachableAnswerFailsTheInvocationSoLambdaRetriesIt() {
        responseStatus = 403;

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> handler.handleRequest(event("create.json", e -> { }), null));
        assertTrue(thrown.getMessage().contains("answered 403"), thrown.getMessage());
    }

    /** The sample event, pointed at this test's response URL, second region and bucket prefix, then changed as given. */
    private CloudFormationCustomResourceEvent event(String file, Consumer<CloudFormationCustomResourceEvent> change) {
        CloudFormationCustomResourceEvent event = SampleEvents.load("region-buckets/" + file, CloudFormationCustomResourceEvent.class);
        event.setResponseUrl("http://127.0.0.1:" + cloudFormation.getAddress().getPort() + "/cloudformation-response?X-Amz-Signature=test");
        Map<String, Object> properties = new HashMap<>(event.getResourceProperties());
        properties.put("Region", stack.secondaryRegion().id());
        properties.put("NamePrefix", namePrefix);
        event.setResourceProperties(properties);
        change.accept(event);
        return event;
    }

    /** Runs the handler and returns what it PUT to the response URL. */
    private JsonNode invoke(CloudFormationCustomResourceEvent event) throws InterruptedException {
        handler.handleRequest(event, null);
        ReceivedResponse received = responses.poll(5, TimeUnit.SECONDS);
        assertNotNull(received, "nothing reached the response URL");
        return received.body();
    }

    /** A Lambda invocation context with the given time left, as Lambda passes it to the handler. */
    private static Context lambdaContext(Duration remaining) {
        long deadline = System.nanoTime() + remaining.toNanos();
        return new Context() {
            public String getAwsRequestId() { return "local-request"; }
            public String getLogGroupName() { return "/aws/lambda/local"; }
            public String getLogStreamName() { return "local"; }
            public String getFunctionName() { return "RegionBucketsFunction"; }
            public String getFunctionVersion() { return "$LATEST"; }
            public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:RegionBucketsFunction"; }
            public CognitoIdentity getIdentity() { return null; }
            public ClientContext getClientContext() { return null; }
            public int getRemainingTimeInMillis() { return (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000); }
            public int getMemoryLimitInMB() { return 1024; }
            public LambdaLogger getLogger() { return null; }
        };
    }

    private List<String> bucketsWithOurPrefix() {
        List<String> names = new ArrayList<>();
        for (Region region : List.of(stack.secondaryRegion(), EmulatedStack.REGION)) {
            stack.s3(region).listBuckets().buckets().stream().map(b -> b.name()).filter(n -> n.startsWith(namePrefix)).forEach(names::add);
        }
        return names.stream().distinct().toList();
    }
}
