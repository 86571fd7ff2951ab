package com.supportress.regionbuckets;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: how the custom resource's properties are read and refused; no emulator. */
class RegionBucketsRequestTest {

    private static final String STACK = "arn:aws:cloudformation:us-east-1:123456789012:stack/supportress-dev/3f9c1e20";

    @Test
    void readsBucketsWithTheSharedNameRuleAndLockAndLifecycleGivenAsText() {
        RegionBucketsRequest request = RegionBucketsRequest.from(STACK, Map.of(
                "Region", "us-west-2",
                "NamePrefix", "supportress-dev-123456789012",
                "Buckets", List.of(Map.of("Name", "UploadReplicaBucket", "NoncurrentVersionExpirationDays", "30"),
                        Map.of("Name", "BackupReplicaBucket", "ObjectLockMode", "COMPLIANCE", "ObjectLockDays", "372",
                                "NoncurrentVersionExpirationDays", "372", "AbortIncompleteMultipartUploadDays", "2", "ExpiredObjectDeleteMarker", "true"))));

        assertEquals(Region.US_WEST_2, request.region());
        assertEquals("123456789012", request.account());
        assertEquals("us-west-2/supportress-dev-123456789012", request.physicalResourceId());
        RegionBucketsRequest.BucketSpec upload = request.buckets().get(0);
        assertEquals("supportress-dev-123456789012-uploadreplicabucket", upload.bucketName());
        assertEquals(Optional.empty(), upload.objectLock());
        assertEquals(new RegionBucketsRequest.Lifecycle(OptionalInt.of(30), OptionalInt.empty(), false), upload.lifecycle());
        RegionBucketsRequest.BucketSpec backup = request.buckets().get(1);
        assertEquals(Optional.of(new RegionBucketsRequest.ObjectLock("COMPLIANCE", 372)), backup.objectLock());
        assertEquals(new RegionBucketsRequest.Lifecycle(OptionalInt.of(372), OptionalInt.of(2), true), backup.lifecycle());
        assertEquals("arn:aws:s3:::supportress-dev-123456789012-backupreplicabucket", request.arn(backup));
    }

    @Test
    void aBucketWithoutLifecycleSettingsHasAnEmptyLifecycle() {
        RegionBucketsRequest request = RegionBucketsRequest.from(STACK, Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012",
                "Buckets", List.of(Map.of("Name", "Replica"))));

        assertTrue(request.buckets().getFirst().lifecycle().isEmpty());
    }

    @Test
    void noncurrentVersionsMustOutliveTheLock() {
        Map<String, Object> properties = Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012",
                "Buckets", List.of(Map.of("Name", "Backup", "ObjectLockMode", "GOVERNANCE", "ObjectLockDays", "35", "NoncurrentVersionExpirationDays", "1")));

        InvalidPropertiesException refused = assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, properties));
        assertTrue(refused.getMessage().contains("outlive their lock"), refused.getMessage());
    }

    @Test
    void lockModeAndDaysGoTogetherAndTheModeIsOneOfS3s() {
        for (Map<String, String> lock : List.of(Map.of("ObjectLockMode", "COMPLIANCE"), Map.of("ObjectLockDays", "30"),
                Map.of("ObjectLockMode", "compliance", "ObjectLockDays", "30"), Map.of("ObjectLockMode", "LEGAL_HOLD", "ObjectLockDays", "30"))) {
            Map<String, Object> bucket = new java.util.HashMap<>(lock);
            bucket.put("Name", "Backup");
            Map<String, Object> properties = Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012", "Buckets", List.of(bucket));
            assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, properties), lock.toString());
        }
    }

    @Test
    void arnsUseTheStacksPartition() {
        RegionBucketsRequest request = RegionBucketsRequest.from(
                "arn:aws-cn:cloudformation:cn-north-1:123456789012:stack/s/1",
                Map.of("Region", "cn-northwest-1", "NamePrefix", "s-123456789012", "Buckets", List.of(Map.of("Name", "Replica"))));

        assertEquals("arn:aws-cn:s3:::s-123456789012-replica", request.arn(request.buckets().getFirst()));
    }

    @Test
    void namesEveryProblemAtOnce() {
        InvalidPropertiesException refused = assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, Map.of(
                "Region", "us-east-1",
                "NamePrefix", "Supportress-123456789012",
                "Buckets", List.of(Map.of("Name", "Backup", "ObjectLockMode", "COMPLIANCE", "ObjectLockDays", "forever")))));

        assertEquals(3, refused.problems().size(), refused.problems().toString());
        assertTrue(refused.getMessage().contains("stack's own region"));
        assertTrue(refused.getMessage().contains("must be lower case"));
        assertTrue(refused.getMessage().contains("ObjectLockDays 'forever'"));
    }

    @Test
    void aNameMayNotClashWithAnotherBucketsArnAttribute() {
        InvalidPropertiesException refused = assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, Map.of(
                "Region", "us-west-2", "NamePrefix", "p-123456789012",
                "Buckets", List.of(Map.of("Name", "Replica"), Map.of("Name", "ReplicaArn")))));

        assertTrue(refused.getMessage().contains("Buckets[1].Name 'ReplicaArn'"), refused.getMessage());
    }

    @Test
    void retentionIsCappedAtOneHundredYears() {
        Map<String, Object> properties = Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012",
                "Buckets", List.of(Map.of("Name", "Backup", "ObjectLockMode", "GOVERNANCE", "ObjectLockDays", "36501")));

        assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, properties));
    }

    @Test
    void atMostTenBucketsSoTheAnswerFitsCloudFormationsLimit() {
        List<Map<String, String>> eleven = IntStream.rangeClosed(1, 11).mapToObj(i -> Map.of("Name", "Replica" + i)).toList();
        Map<String, Object> properties = Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012", "Buckets", eleven);

        InvalidPropertiesException refused = assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from(STACK, properties));
        assertTrue(refused.getMessage().contains("at most 10"), refused.getMessage());
        assertEquals(10, RegionBucketsRequest.from(STACK, Map.of("Region", "us-west-2", "NamePrefix", "p-123456789012",
                "Buckets", eleven.subList(0, 10))).buckets().size());
    }

    @Test
    void bucketNamesFollowS3RulesWithoutDots() {
        assertTrue(RegionBucketsRequest.validBucketName("abc"));
        assertFalse(RegionBucketsRequest.validBucketName("ab"), "too short");
        assertFalse(RegionBucketsRequest.validBucketName("a".repeat(64)), "too long");
        assertFalse(RegionBucketsRequest.validBucketName("my.bucket"), "dots break virtual-hosted TLS");
        assertFalse(RegionBucketsRequest.validBucketName("xn--bucket"), "reserved prefix");
        assertFalse(RegionBucketsRequest.validBucketName("bucket-s3alias"), "reserved suffix");
        assertFalse(RegionBucketsRequest.validBucketName("-bucket"), "must start with a letter or digit");
    }

    @Test
    void refusesAStackIdThatIsNoStackArn() {
        assertThrows(InvalidPropertiesException.class, () -> RegionBucketsRequest.from("not-an-arn", Map.of()));
    }
}
