package com.supportress.upload.ingest;

import com.supportress.emulator.MutableClock;
import com.supportress.upload.store.UploadMode;
import com.supportress.upload.store.UploadRecord;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.InterceptorContext;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartCopyRequest;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: how copies are laid out, how the invocation budget is spent, the owner guard; no emulator. */
class CopyPlanningTest {

    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;
    private static final String OWNER = "123456789012";

    @Test
    void aMultipartUploadIsCopiedAlongItsOwnPartBoundaries() {
        CopyLayout layout = CopyLayout.of(upload(UploadMode.MULTIPART, 50 * GIB, 64 * MIB, 800), 50 * GIB);
        assertEquals(800, layout.partCount());
        assertEquals("bytes=0-67108863", layout.range(1));
        assertEquals("bytes=" + (799 * 64 * MIB) + "-" + (50 * GIB - 1), layout.range(800));
    }

    @Test
    void anObjectUpToFiveGibWithoutPartsOfItsOwnIsOneCopyObjectAndLargerOnesStayWithinS3sLimits() {
        assertFalse(CopyLayout.of(upload(UploadMode.PUT, 100 * MIB, 100 * MIB, 1), 100 * MIB).multipart());
        assertFalse(CopyLayout.forSize(5 * GIB).multipart());
        CopyLayout huge = CopyLayout.forSize(5 * 1024 * GIB);
        assertTrue(huge.partCount() <= 10_000 && huge.partSize() <= 5 * GIB && huge.partSize() >= 5 * MIB, huge.toString());
        assertEquals(5 * 1024 * GIB, huge.start(huge.partCount()) + huge.length(huge.partCount()));
        // A multipart upload whose object is not the declared size is copied by size, not along parts it does not have.
        assertFalse(CopyLayout.of(upload(UploadMode.MULTIPART, 11 * MIB, 5 * MIB, 3), 12 * MIB).multipart());
    }

    @Test
    void theBudgetAllowsAStepOnlyIfItEndsBeforeTheSafetyMargin() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        InvocationBudget budget = InvocationBudget.of(Optional.empty(), clock, Duration.ofSeconds(30));
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), budget.deadline(), "outside Lambda: Lambda's maximum");
        assertTrue(budget.allows(Duration.ofMinutes(14)));
        clock.advance(Duration.ofMinutes(14));
        assertTrue(budget.allows(Duration.ofSeconds(29)));
        assertFalse(budget.allows(Duration.ofSeconds(30)));
        clock.advance(Duration.ofSeconds(31));
        assertFalse(budget.allows(Duration.ZERO));
    }

    @Test
    void theOwnerGuardRefusesAReplicaRequestThatDoesNotNameTheExpectedOwners() {
        ExpectedOwnerGuard guard = new ExpectedOwnerGuard(OWNER);
        assertThrows(IllegalStateException.class, () -> check(guard, HeadObjectRequest.builder().bucket("b").key("k").build()));
        assertThrows(IllegalStateException.class, () -> check(guard, HeadObjectRequest.builder().bucket("b").key("k").expectedBucketOwner("999999999999").build()));
        assertDoesNotThrow(() -> check(guard, HeadObjectRequest.builder().bucket("b").key("k").expectedBucketOwner(OWNER).build()));
        // A copy reads the upload bucket: its owner must be named too.
        assertThrows(IllegalStateException.class, () -> check(guard, CopyObjectRequest.builder().expectedBucketOwner(OWNER).build()));
        assertThrows(IllegalStateException.class, () -> check(guard, UploadPartCopyRequest.builder().expectedBucketOwner(OWNER).build()));
        assertDoesNotThrow(() -> check(guard, UploadPartCopyRequest.builder().expectedBucketOwner(OWNER).expectedSourceBucketOwner(OWNER).build()));
    }

    private static void check(ExpectedOwnerGuard guard, software.amazon.awssdk.core.SdkRequest request) {
        guard.beforeExecution(InterceptorContext.builder().request(request).build(), new ExecutionAttributes());
    }

    private static UploadRecord upload(UploadMode mode, long size, long partSize, int partCount) {
        Instant now = Instant.parse("2026-11-30T00:00:00Z");
        return UploadRecord.pending("upl_" + "0".repeat(40), "acme", "f", "text/plain", size, Optional.empty(), mode,
                Optional.empty(), partSize, partCount, now, now.plus(Duration.ofDays(1)));
    }
}
