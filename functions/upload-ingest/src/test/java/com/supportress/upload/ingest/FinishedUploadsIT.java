package com.supportress.upload.ingest;

import com.supportress.emulator.EmulatedStack;
import com.supportress.emulator.Emulator;
import com.supportress.emulator.EmulatorSemantics;
import com.supportress.emulator.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.supportress.upload.ingest.UploadFixture.key;
import static com.supportress.upload.ingest.UploadFixture.png;
import static com.supportress.upload.ingest.UploadFixture.quarantineKey;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Integration tier: objects that appear at the live key of an upload that is already quarantined, failed or
 * replicated, written by someone with direct access to the bucket (a presigned URL cannot: the key is never empty
 * once the upload is over). The record must never claim a state the bucket contradicts.
 */
class FinishedUploadsIT {

    private static final byte[] PDF = "%PDF-1.7\n%âãÏÓ\n".getBytes(StandardCharsets.ISO_8859_1);

    private UploadFixture uploads;
    private UploadIngestHandler ingest;

    @BeforeEach
    void standUpStack() {
        Emulator.assume(EmulatorSemantics.Guarantee.S3_CHECKSUMS);
        uploads = new UploadFixture(EmulatedStack.create(Map.of()), new MutableClock(Instant.now()), Map.of());
        ingest = uploads.ingestHandler(Map.of());
    }

    @AfterEach
    void close() {
        uploads.close();
        ingest.close();
    }

    @Test
    void anObjectWrittenAtTheKeyOfAQuarantinedUploadIsMovedAsideAndTheKeyStaysClosed() throws Exception {
        String uploadId = uploads.putUpload("photo.png", "image/png", PDF);
        uploads.ingestQueued(ingest);
        assertEquals("quarantined", uploads.item(uploadId).get("status").s());

        writeDirectly(uploadId, png(300));
        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals("quarantined", uploads.item(uploadId).get("status").s());
        assertEquals("content is not image/png", uploads.item(uploadId).get("reason").s());
        assertTrue(uploads.versions(uploadId).stream().allMatch(version -> version.size() == 0), "only the closing marker");
        var aside = uploads.stack.s3().headObject(r -> r.bucket(uploads.bucket()).key(quarantineKey(uploadId)));
        assertEquals(300, aside.contentLength());
        assertEquals("written after the upload was quarantined; never checked", aside.metadata().get("quarantine-reason"));
    }

    @Test
    void anObjectWrittenAtTheKeyOfAReplicatedUploadIsRemovedAndTheVerifiedVersionStaysCurrent() throws Exception {
        byte[] file = png(1024);
        String uploadId = uploads.putUpload("photo.png", "image/png", file);
        uploads.ingestQueued(ingest);
        String verified = uploads.item(uploadId).get("objectVersionId").s();

        writeDirectly(uploadId, png(2048));
        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals("replicated", uploads.item(uploadId).get("status").s());
        List<ObjectVersion> versions = uploads.versions(uploadId);
        assertEquals(List.of(verified), versions.stream().map(ObjectVersion::versionId).toList(), "the checked version alone");
        assertArrayEquals(file, uploads.stack.s3().getObjectAsBytes(r -> r.bucket(uploads.bucket()).key(key(uploadId))).asByteArray());
        assertEquals(1, uploads.replicaVersions(uploadId));
        assertArrayEquals(file, uploads.replicaBytes(uploadId));
        assertEquals("written after the upload was replicated; never checked", uploads.stack.s3()
                .headObject(r -> r.bucket(uploads.bucket()).key(quarantineKey(uploadId))).metadata().get("quarantine-reason"));
    }

    @Test
    void bytesArrivingAfterAnAbortAreDeletedAndTheKeyStaysClosed() throws Exception {
        String uploadId = uploads.create("a.txt", "text/plain", 6, UploadFixture.sha256("hello\n".getBytes()), null).get("uploadId").asText();
        assertEquals("failed", uploads.call("DELETE", "/uploads/" + uploadId, null, 200).get("status").asText());

        writeDirectly(uploadId, "hello\n".getBytes());
        assertEquals(List.of(), uploads.ingestQueued(ingest));

        assertEquals("failed", uploads.item(uploadId).get("status").s());
        assertTrue(uploads.versions(uploadId).stream().allMatch(version -> version.size() == 0), "only the closing marker");
        assertEquals(0, uploads.stack.s3().getObjectAsBytes(r -> r.bucket(uploads.bucket()).key(key(uploadId))).asByteArray().length);
        assertEquals(0, uploads.replicaS3().listObjectsV2(r -> r.bucket(uploads.replicaBucket()).prefix(key(uploadId))).keyCount());
    }

    /** A write that bypasses the presigned URL (no If-None-Match): only a principal with direct access could do it. */
    private void writeDirectly(String uploadId, byte[] bytes) {
        uploads.stack.s3().putObject(r -> r.bucket(uploads.bucket()).key(key(uploadId)), RequestBody.fromBytes(bytes));
    }
}
