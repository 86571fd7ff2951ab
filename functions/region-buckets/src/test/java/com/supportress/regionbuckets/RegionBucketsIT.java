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
import com.supportress.shared.aws.AwsSettings;
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
import com.supportress.emulator.SamTemplate;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
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
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
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

        String backup = SecondaryRegionBuckets.bucketName(namePrefix, "BackupReplicaBucket");
        ObjectLockConfiguration lock = s3.getObjectLockConfiguration(r -> r.bucket(backup)).objectLockConfiguration();
        assertEquals(ObjectLockEnabled.ENABLED, lock.objectLockEnabled());
        assertEquals(ObjectLockRetentionMode.COMPLIANCE, lock.rule().defaultRetention().mode());
        assertEquals(372, lock.rule().defaultRetention().days());
        assertEquals(Map.of("ExpireNoncurrentVersions", "noncurrent 372", "AbortIncompleteMultipartUploads", "abort 2",
                "RemoveExpiredDeleteMarkers", "delete markers"), lifecycle(s3, backup));
        String upload = SecondaryRegionBuckets.bucketName(namePrefix, "UploadReplicaBucket");
        S3Exception noLock = assertThrows(S3Exception.class, () -> s3.getObjectLockConfiguration(r -> r.bucket(upload)));
        assertEquals("ObjectLockConfigurationNotFoundError", noLock.awsErrorDetails().errorCode(), "no Object Lock where none was asked");
        assertEquals(Map.of("ExpireNoncurrentVersions", "noncurrent 30", "AbortIncompleteMultipartUploads", "abort 1"), lifecycle(s3, upload));
    }

    @Test
    void secondRegionBucketsGetTheLockAndLifecycleOfTheirPrimariesInTemplateYaml() throws Exception {
        Object resolved = stack.resolve(stack.template().properties("SecondaryRegionBuckets").get("Buckets"));
        JsonNode answer = invoke(event("create.json", e -> e.getResourceProperties().put("Buckets", resolved)));
        assertEquals("SUCCESS", answer.get("Status").asText(), answer.toString());

        S3Client s3 = stack.s3(stack.secondaryRegion());
        String backup = SecondaryRegionBuckets.bucketName(namePrefix, "BackupReplicaBucket");
        Map<String, Object> primary = stack.template().properties("BackupBucket");
        var retention = SamTemplate.mapAt(SamTemplate.mapAt(SamTemplate.mapAt(primary, "ObjectLockConfiguration"), "Rule"), "DefaultRetention");
        var lock = s3.getObjectLockConfiguration(r -> r.bucket(backup)).objectLockConfiguration().rule().defaultRetention();
        assertEquals(stack.resolve(retention.get("Mode")), lock.modeAsString());
        assertEquals(String.valueOf(stack.resolve(retention.get("Days"))), String.valueOf(lock.days()));
        assertEquals(primaryLifecycle("BackupBucket"), lifecycle(s3, backup));
        assertEquals(primaryLifecycle("UploadBucket"), lifecycle(s3, SecondaryRegionBuckets.bucketName(namePrefix, "UploadReplicaBucket")));
    }

    @Test
    void createNeedsOnlyCreateBucketAndEveryLaterCallNamesTheStacksAccountAsOwner() throws Exception {
        RecordingHttpClient recording = new RecordingHttpClient();
        CloudFormationCustomResourceEvent create = event("create.json", e -> { });
        RegionalS3Clients clients = new RegionalS3Clients(AwsSettings.from(stack.environment("RegionBucketsFunction")), recording);
        new RegionBucketsService(clients).createOrUpdate(RegionBucketsRequest.from(create.getStackId(), create.getResourceProperties()));
        clients.close();

        List<SdkHttpRequest> creates = recording.requests.stream().filter(RegionBucketsIT::isCreateBucket).toList();
        assertEquals(2, creates.size());
        for (SdkHttpRequest createBucket : creates) {
            assertTrue(createBucket.firstMatchingHeader("x-amz-bucket-object-lock-enabled").isEmpty(), "Object Lock would need more rights at creation");
            assertTrue(createBucket.firstMatchingHeader("x-amz-object-ownership").isEmpty(), "an ownership setting would need more rights at creation");
        }
        List<SdkHttpRequest> later = recording.requests.stream().filter(request -> !isCreateBucket(request)).toList();
        // Per bucket: ownership, public access block, encryption, versioning, lifecycle, policy; and the backup copies' lock.
        assertEquals(13, later.size());
        for (SdkHttpRequest request : later) {
            assertEquals(Optional.of("123456789012"), request.firstMatchingHeader("x-amz-expected-bucket-owner"),
                    request.method() + " " + request.encodedPath() + "?" + request.rawQueryParameters().keySet());
        }
    }

    @Test
    void updateWithoutLifecycleRemovesTheBucketsLifecycle() throws Exception {
        invoke(event("create.json", e -> { }));

        JsonNode updated = invoke(event("create.json", e -> e.getResourceProperties().put("Buckets", List.of(Map.of("Name", "UploadReplicaBucket")))));

        assertEquals("SUCCESS", updated.get("Status").asText(), updated.toString());
        S3Exception none = assertThrows(S3Exception.class, () -> stack.s3(stack.secondaryRegion())
                .getBucketLifecycleConfiguration(r -> r.bucket(SecondaryRegionBuckets.bucketName(namePrefix, "UploadReplicaBucket"))));
        assertEquals("NoSuchLifecycleConfiguration", none.awsErrorDetails().errorCode());
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
                        p.put("Buckets", List.of(Map.of("Name", "Backup", "ObjectLockMode", "COMPLIANCE", "ObjectLockDays", "0"))),
                        "ObjectLockDays '0'"));
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

    /** The bucket's lifecycle rules by id, each reduced to what it does. */
    private static Map<String, String> lifecycle(S3Client s3, String bucket) {
        Map<String, String> rules = new HashMap<>();
        for (LifecycleRule rule : s3.getBucketLifecycleConfiguration(r -> r.bucket(bucket)).rules()) {
            assertEquals(ExpirationStatus.ENABLED, rule.status(), rule.id());
            String does = rule.noncurrentVersionExpiration() != null ? "noncurrent " + rule.noncurrentVersionExpiration().noncurrentDays()
                    : rule.abortIncompleteMultipartUpload() != null ? "abort " + rule.abortIncompleteMultipartUpload().daysAfterInitiation()
                    : Boolean.TRUE.equals(rule.expiration().expiredObjectDeleteMarker()) ? "delete markers" : rule.toString();
            rules.put(rule.id(), does);
        }
        return rules;
    }

    /**
     * A primary bucket's lifecycle in template.yaml, in the same terms, its rules keyed by what they do (the replica's
     * rule ids are its own): what a replica bucket must equal.
     */
    private Map<String, String> primaryLifecycle(String logicalId) {
        Map<String, String> rules = new HashMap<>();
        for (Object listed : (List<?>) SamTemplate.mapAt(stack.template().properties(logicalId), "LifecycleConfiguration").get("Rules")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> rule = (Map<String, Object>) stack.resolve(listed);
            Object noncurrent = SamTemplate.mapAt(rule, "NoncurrentVersionExpiration").get("NoncurrentDays");
            Object abort = SamTemplate.mapAt(rule, "AbortIncompleteMultipartUpload").get("DaysAfterInitiation");
            if (noncurrent != null) {
                rules.put("ExpireNoncurrentVersions", "noncurrent " + noncurrent);
            }
            if (abort != null) {
                rules.put("AbortIncompleteMultipartUploads", "abort " + abort);
            }
            if (Boolean.TRUE.equals(rule.get("ExpiredObjectDeleteMarker"))) {
                rules.put("RemoveExpiredDeleteMarkers", "delete markers");
            }
        }
        return rules;
    }

    private static boolean isCreateBucket(SdkHttpRequest request) {
        return request.method() == SdkHttpMethod.PUT && request.rawQueryParameters().isEmpty() && request.encodedPath().split("/").length == 2;
    }

    /** The function's real HTTP client, keeping each request it sends to the emulator so a test can read its headers. */
    private static final class RecordingHttpClient implements SdkHttpClient {
        final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();
        private final SdkHttpClient delegate = UrlConnectionHttpClient.create();

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            requests.add(request.httpRequest());
            return delegate.prepareRequest(request);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private List<String> bucketsWithOurPrefix() {
        List<String> names = new ArrayList<>();
        for (Region region : List.of(stack.secondaryRegion(), EmulatedStack.REGION)) {
            stack.s3(region).listBuckets().buckets().stream().map(b -> b.name()).filter(n -> n.startsWith(namePrefix)).forEach(names::add);
        }
        return names.stream().distinct().toList();
    }
}
