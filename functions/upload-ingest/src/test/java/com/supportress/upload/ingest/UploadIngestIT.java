package com.supportress.upload.ingest;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.MutableClock;
import com.supportress.emulator.RecordedMetrics;
import com.supportress.emulator.SampleEvents;
import com.supportress.emulator.SqsEvents;
import com.supportress.shared.schedule.ScheduleEvent;
import com.supportress.upload.store.FinalStatusMetric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.sqs.model.Message;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.supportress.upload.ingest.UploadFixture.MIB;
import static com.supportress.upload.ingest.UploadFixture.key;
import static com.supportress.upload.ingest.UploadFixture.png;
import static com.supportress.upload.ingest.UploadFixture.quarantineKey;
import static com.supportress.upload.ingest.UploadFixture.sha256;
import static com.supportress.upload.ingest.UploadFixture.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: upload-ingest against the emulator (moto unless AWS_ENDPOINT_URL is set), one fresh stack per
 * test. Uploads are created through the real upload-api handler (parts of 5 MiB) and sent through its presigned
 * URLs; moto delivers the bucket's notifications to the real queue, and the test hands what it receives to the
 * handler, as the Lambda SQS poller would.
 */
@Tag("emulator")
class UploadIngestIT {

    static final Map<String, String> SMALL_PARTS = Map.of("SINGLE_PUT_MAX_BYTES", Long.toString(5 * MIB),
            "PART_SIZE_BYTES", Long.toString(5 * MIB), "MAX_UPLOAD_BYTES", Long.toString(100 * MIB));

    private EmulatedStack stack;
    private MutableClock clock;
    private UploadFixture uploads;
    private UploadIngestHandler ingest;
    private RecordedMetrics ingestMetrics;
    private RecordedMetrics reconcileMetrics;

    @BeforeEach
    void standUpStack() {
        // Ingest trusts the checksum S3 verified and stored: an emulator that does neither cannot stand in for S3 here.
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        stack = EmulatedStack.create(Map.of());
        clock = new MutableClock(Instant.now());
        uploads = new UploadFixture(stack, clock, SMALL_PARTS);
        ingestMetrics = new RecordedMetrics(stack, "UploadIngestFunction", clock);
        reconcileMetrics = new RecordedMetrics(stack, "UploadReconcileFunction", clock);
        ingest = uploads.ingestHandler(Map.of(), ingestMetrics.metrics());
    }

    @AfterEach
    void closeHandlers() {
        uploads.close();
        ingest.close();
    }

    @Test
    void aPutUploadIsCheckedByItsStoredChecksumAndCopiedToTheSecondRegionWithItsLag() throws Exception {
        byte[] file = png(4096);
        String uploadId = uploads.putUpload("photo.png", "image/png", file);

        assertEquals(List.of(), uploads.ingestQueued(ingest));

        Map<String, AttributeValue> item = uploads.item(uploadId);
        assertEquals("replicated", item.get("status").s());
        assertEquals(stack.secondaryRegion().id(), item.get("replicaRegion").s());
        assertEquals(uploads.versions(uploadId).get(0).versionId(), item.get("objectVersionId").s(), "the version checked is recorded");
        assertTrue(Long.parseLong(item.get("replicationLagMillis").n()) >= 0);
        assertFalse(item.containsKey("replicationPending"), "out of the reconciliation index");
        assertFalse(item.containsKey("leaseOwner"), "the lease is given up");
        assertArrayEquals(file, uploads.replicaBytes(uploadId));
        String replicaChecksum = uploads.replicaS3().headObject(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId))
                .checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
        assertEquals(sha256(file), replicaChecksum, "the replica carries the SHA-256 S3 computed for it, the declared one");
        JsonNode status = uploads.call("GET", "/uploads/" + uploadId, null, 200);
        assertEquals("replicated", status.get("status").asText());
        assertEquals(stack.secondaryRegion().id(), status.get("replicaRegion").asText());
    }

    @Test
    void aMultipartUploadIsCopiedAlongItsOwnPartsAndVerifiedByTheCompositeChecksum() throws Exception {
        byte[] file = text(12 * MIB);
        String uploadId = uploads.multipartUpload("log.txt", "text/plain", file);

        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals("replicated", uploads.item(uploadId).get("status").s());
        String checksum = uploads.replicaS3().headObject(r -> r.bucket(uploads.replicaBucket()).key(key(uploadId))
                .checksumMode(ChecksumMode.ENABLED)).checksumSHA256();
        String composite = UploadFixture.compositeSha256(file, 5 * MIB);
        assertEquals(composite.split("-")[0], checksum.split("-")[0], "S3's checksum of the three-part copy is the upload's");
        assertEquals(composite, uploads.item(uploadId).get("declaredCompositeSha256").s());
        assertArrayEquals(file, uploads.replicaBytes(uploadId));
        assertTrue(uploads.replicaS3().listMultipartUploads(r -> r.bucket(uploads.replicaBucket())).uploads().isEmpty());
    }

    @Test
    void theBucketsTestEventIsSkippedWithoutFailure() {
        List<Message> messages = uploads.receiveAll();
        assertTrue(messages.stream().anyMatch(m -> m.body().contains("s3:TestEvent")), "moto sends a test event when notifications are configured");
        SQSBatchResponse response = ingest.handleRequest(SqsEvents.of(messages), null);
        assertTrue(response.getBatchItemFailures().isEmpty());
    }

    @Test
    void uploadedSizeOtherThanDeclaredIsQuarantinedAndNotReplicated() throws Exception {
        byte[] declared = png(4096);
        String uploadId = uploads.create("photo.png", "image/png", declared.length, sha256(declared), null).get("uploadId").asText();
        // S3 refuses such a PUT through the URL (the length is signed); only direct access could write it.
        stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)), RequestBody.fromBytes(png(5000)));

        uploads.ingestQueued(ingest);

        assertQuarantined(uploadId, "size 5000 bytes does not match the declared 4096");
        assertEquals(1, finished("quarantined"));
        assertEquals(0, finished("replicated"));
    }

    @Test
    void contentOfAnotherTypeThanDeclaredIsQuarantined() throws Exception {
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
        String uploadId = uploads.putUpload("photo.png", "image/png", pdf);

        uploads.ingestQueued(ingest);

        assertQuarantined(uploadId, "content is not image/png");
    }

    @Test
    void anObjectWithoutTheChecksumS3VerifiedIsQuarantined() throws Exception {
        byte[] file = png(2048);
        String uploadId = uploads.create("photo.png", "image/png", file.length, sha256(file), null).get("uploadId").asText();
        stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)), RequestBody.fromBytes(file));

        uploads.ingestQueued(ingest);

        assertQuarantined(uploadId, "S3 holds no SHA-256 for the object (not written through its presigned URL)");
    }

    @Test
    void anObjectWithAnotherSha256ThanDeclaredIsQuarantined() throws Exception {
        byte[] declared = png(2048);
        byte[] written = png(2048);
        written[2047] = 1;
        String uploadId = uploads.create("photo.png", "image/png", declared.length, sha256(declared), null).get("uploadId").asText();
        String writtenSha256 = sha256(written);
        stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)).checksumSHA256(writtenSha256), RequestBody.fromBytes(written));

        uploads.ingestQueued(ingest);

        assertQuarantined(uploadId, "SHA-256 does not match the declared one");
    }

    @Test
    void aLargeObjectFailingACheckIsQuarantinedByAMultipartCopyWithItsReason() throws Exception {
        byte[] file = text(11 * MIB);
        String uploadId = uploads.multipartUpload("photo.png", "image/png", file);

        uploads.ingestQueued(ingest);

        assertQuarantined(uploadId, "content is not image/png");
        var copy = stack.s3().headObject(r -> r.bucket(uploads.bucket()).key(quarantineKey(uploadId)).checksumMode(ChecksumMode.ENABLED));
        assertEquals(11 * MIB, copy.contentLength());
        assertEquals("content is not image/png", copy.metadata().get("quarantine-reason"));
        assertEquals(UploadFixture.compositeSha256(file, 5 * MIB).split("-")[0], copy.checksumSHA256().split("-")[0],
                "copied along the upload's parts");
    }

    @Test
    void aSecondPutThroughTheStillValidUrlAfterQuarantineIsRefusedByS3() throws Exception {
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);
        JsonNode created = uploads.create("photo.png", "image/png", pdf.length, sha256(pdf), null);
        String uploadId = created.get("uploadId").asText();
        assertEquals(200, uploads.put(created, pdf));
        uploads.ingestQueued(ingest);
        assertEquals("quarantined", uploads.item(uploadId).get("status").s());

        assertEquals(412, uploads.put(created, pdf), "the closing marker at the key fails the signed If-None-Match: *");
        assertEquals(List.of(), uploads.ingestQueued(ingest));
        assertQuarantined(uploadId, "content is not image/png");
    }

    @Test
    void retryAfterACrashBetweenQuarantineAndRecordStillRecordsTheReason() throws Exception {
        byte[] file = png(100);
        String uploadId = uploads.putUpload("photo.png", "image/png", file);
        List<Message> messages = uploads.receiveAll();
        // What the crashed attempt did: the copy with its reason, the closing marker, the checked version deleted; no record.
        stack.s3().copyObject(r -> r.sourceBucket(uploads.bucket()).sourceKey(key(uploadId)).destinationBucket(uploads.bucket())
                .destinationKey(quarantineKey(uploadId)).metadataDirective("REPLACE")
                .metadata(Map.of("quarantine-reason", "content is not image/png")));
        String checked = uploads.versions(uploadId).get(0).versionId();
        stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)), RequestBody.empty());
        stack.s3().deleteObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)).versionId(checked));

        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());

        assertQuarantined(uploadId, "content is not image/png");
    }

    @Test
    void anObjectWithoutAnUploadRecordIsQuarantined() throws Exception {
        String stray = "upl_" + "ab".repeat(20);
        stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(stray)), RequestBody.fromBytes(png(100)));

        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals(0, uploads.versions(stray).size());
        var copy = stack.s3().headObject(r -> r.bucket(uploads.bucket()).key(quarantineKey(stray)));
        assertEquals("no upload record", copy.metadata().get("quarantine-reason"));
        assertEquals(0, uploads.replicaS3().listObjectsV2(r -> r.bucket(uploads.replicaBucket()).prefix(key(stray))).keyCount());
        assertEquals(0, stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("UploadsTable"))).count());
    }

    @Test
    void theSameEventTwiceEndsInOneReplicaAndOneRecord() throws Exception {
        byte[] file = png(1024);
        String uploadId = uploads.putUpload("photo.png", "image/png", file);
        List<Message> messages = uploads.receiveAll();

        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());
        String firstReplicatedAt = uploads.item(uploadId).get("replicatedAt").s();
        clock.advance(Duration.ofMinutes(1));
        assertTrue(ingest.handleRequest(SqsEvents.of(messages), null).getBatchItemFailures().isEmpty());

        assertEquals(1, uploads.replicaVersions(uploadId));
        assertEquals(firstReplicatedAt, uploads.item(uploadId).get("replicatedAt").s());
        assertEquals(1, uploads.uploadCount());
        assertEquals(1, finished("replicated"), "counted by the write that changed the status, not by the repeat");
        assertEquals(stack.environment("UploadIngestFunction").require("METRICS_NAMESPACE"), ingestMetrics.documents().getFirst().namespace());
    }

    @Test
    void oneBadMessageFailsAloneInThePartialBatchResponse() throws Exception {
        String uploadId = uploads.putUpload("photo.png", "image/png", png(512));
        List<SQSEvent.SQSMessage> batch = new ArrayList<>(SqsEvents.of(uploads.receiveAll()).getRecords());
        SQSEvent.SQSMessage poison = new SQSEvent.SQSMessage();
        poison.setMessageId("poison-1");
        poison.setBody("{not json");
        batch.add(1, poison);
        SQSEvent event = new SQSEvent();
        event.setRecords(batch);

        SQSBatchResponse response = ingest.handleRequest(event, null);

        assertEquals(List.of("poison-1"), response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals("replicated", uploads.item(uploadId).get("status").s());
    }

    @Test
    void aBatchWithNoRecordsOrANullRecordNeverThrows() {
        assertTrue(ingest.handleRequest(new SQSEvent(), null).getBatchItemFailures().isEmpty());
        SQSEvent withNull = new SQSEvent();
        withNull.setRecords(new ArrayList<>(java.util.Collections.singletonList(null)));
        assertTrue(ingest.handleRequest(withNull, null).getBatchItemFailures().isEmpty());
    }

    @Test
    void messagesNestedDeeperThanTheLimitOrWithTrailingDataFailAloneWithoutAStackOverflow() {
        SQSEvent.SQSMessage deep = new SQSEvent.SQSMessage();
        deep.setMessageId("deep-1");
        deep.setBody("{\"Records\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        SQSEvent.SQSMessage trailing = new SQSEvent.SQSMessage();
        trailing.setMessageId("trailing-1");
        trailing.setBody("{\"Records\":[]}{\"Records\":[]}");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(deep, trailing));
        assertEquals(List.of("deep-1", "trailing-1"), ingest.handleRequest(event, null).getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
    }

    @Test
    void reconciliationRedrivesObjectsNotReplicatedWithinFifteenMinutes() throws Exception {
        byte[] file = png(256);
        String lagging = uploads.putUpload("photo.png", "image/png", file);
        String neverUploaded = uploads.create("other.png", "image/png", 100, sha256(new byte[100]), null).get("uploadId").asText();
        uploads.receiveAll(); // the first delivery is lost: nothing ingests it
        clock.advance(Duration.ofMinutes(16));

        ReconcileService.Result result = reconcile();
        assertEquals(1, result.lagging());
        assertEquals(1, result.redriven());
        assertTrue(result.oldestLagSeconds() >= 15 * 60);
        assertEquals(result.oldestLagSeconds(), reconcileMetrics.sum(ReconcileService.OLDEST_LAG_METRIC, Map.of()), "the number the lag alarm watches");
        assertEquals(1, reconcileMetrics.sum(ReconcileService.LAGGING_METRIC, Map.of()));
        assertEquals(List.of(List.of()), reconcileMetrics.documents().getFirst().dimensionSets(), "the alarm's metric has no dimensions");
        assertEquals("Seconds", reconcileMetrics.documents().getFirst().units().get(ReconcileService.OLDEST_LAG_METRIC));
        assertEquals(stack.environment("UploadReconcileFunction").require("METRICS_NAMESPACE"), reconcileMetrics.documents().getFirst().namespace());
        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals("replicated", uploads.item(lagging).get("status").s());
        assertEquals("pending", uploads.item(neverUploaded).get("status").s(), "its upload window is still open");
        assertArrayEquals(file, uploads.replicaBytes(lagging));
    }

    @Test
    void reconciliationFailsUploadsNeverSentBeforeTheirWindowClosed() throws Exception {
        String neverUploaded = uploads.create("other.png", "image/png", 100, sha256(new byte[100]), null).get("uploadId").asText();
        clock.advance(Duration.ofHours(25));

        ReconcileService.Result result = reconcile();
        assertEquals(0, result.lagging());
        assertEquals(1, result.expired());
        assertEquals("failed", uploads.item(neverUploaded).get("status").s());
        assertEquals("never uploaded before the upload expired", uploads.item(neverUploaded).get("reason").s());
        assertEquals(List.of(), openUploadsOfTheTenant(), "its slot is free again");
        String day = uploads.item(neverUploaded).get("quotaDay").s();
        assertEquals("0", uploads.item("quota#bytes#" + UploadFixture.TENANT + "#" + day).get("bytes").n(), "its bytes were given back");
        assertEquals(0, reconcile().expired(), "the next round finds it failed already");
        assertEquals(1, reconcileMetrics.sum(FinalStatusMetric.METRIC, Map.of(FinalStatusMetric.STATUS_DIMENSION, "failed")), "counted once");
    }

    /** Uploads the ingest function counted as having reached this final status. */
    private double finished(String status) {
        return ingestMetrics.sum(FinalStatusMetric.METRIC, Map.of(FinalStatusMetric.STATUS_DIMENSION, status));
    }

    /** The tenant's open uploads as the quota counts them (the set is removed with its last member). */
    private List<String> openUploadsOfTheTenant() {
        Map<String, AttributeValue> item = uploads.item("quota#open#" + UploadFixture.TENANT);
        return item == null || !item.containsKey("openUploads") ? List.of() : item.get("openUploads").ss();
    }

    private ReconcileService.Result reconcile() {
        try (UploadReconcileHandler reconcile = new UploadReconcileHandler(stack.start("UploadReconcileFunction", clock, reconcileMetrics.metrics()))) {
            return reconcile.handleRequest(SampleEvents.load("upload-ingest/reconcile-schedule.json", ScheduleEvent.class), null);
        }
    }

    @Test
    void snapStartPrimingOfIngestAndReconciliationReadsAndWritesNothing() {
        assertTrue(ingest.priming().prime());
        try (UploadReconcileHandler reconcile = new UploadReconcileHandler(stack.start("UploadReconcileFunction", clock))) {
            assertTrue(reconcile.priming().prime());
        }
        assertEquals(0, stack.dynamoDb().scan(r -> r.tableName(stack.physicalName("UploadsTable"))).count());
        assertEquals(0, stack.s3().listObjectVersions(r -> r.bucket(uploads.bucket())).versions().size());
        assertEquals(List.of(), uploads.receiveAll().stream().filter(message -> !message.body().contains("s3:TestEvent")).toList(),
                "nothing re-driven (moto's s3:TestEvent aside)");
    }

    private void assertQuarantined(String uploadId, String reason) throws Exception {
        Map<String, AttributeValue> item = uploads.item(uploadId);
        assertEquals("quarantined", item.get("status").s());
        assertEquals(reason, item.get("reason").s());
        assertEquals(reason, uploads.call("GET", "/uploads/" + uploadId, null, 200).get("reason").asText());
        assertTrue(uploads.versions(uploadId).stream().allMatch(version -> version.size() == 0),
                "nothing but the closing marker left under the tenant's prefix: " + uploads.versions(uploadId));
        assertEquals(1, stack.s3().listObjectsV2(r -> r.bucket(uploads.bucket()).prefix(quarantineKey(uploadId))).keyCount());
        assertEquals(0, uploads.replicaS3().listObjectsV2(r -> r.bucket(uploads.replicaBucket()).prefix(key(uploadId))).keyCount());
    }
}
