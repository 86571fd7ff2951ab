package com.supportress.regionbuckets;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

import java.util.List;
import java.util.Map;
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
    void readsBucketsWithTheSharedNameRuleAndRetentionGivenAsText() {
        RegionBucketsRequest request = RegionBucketsRequest.from(STACK, Map.of(
                "Region", "us-west-2",
                "NamePrefix", "supportress-dev-123456789012",
                "Buckets", List.of(Map.of("Name", "UploadReplicaBucket"), Map.of("Name", "BackupReplicaBucket", "ObjectLockGovernanceDays", "35"))));

        assertEquals(Region.US_WEST_2, request.region());
        assertEquals("us-west-2/supportress-dev-123456789012", request.physicalResourceId());
        assertEquals("supportress-dev-123456789012-uploadreplicabucket", request.buckets().get(0).bucketName());
        assertEquals(OptionalInt.empty(), request.buckets().get(0).objectLockGovernanceDays());
        assertEquals(OptionalInt.of(35), request.buckets().get(1).objectLockGovernanceDays());
        assertEquals("arn:aws:s3:::supportress-dev-123456789012-backupreplicabucket", request.arn(request.buckets().get(1)));
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
                "Buckets", List.of(Map.of("Name", "Backup", "ObjectLockGovernanceDays", "forever")))));

        assertEquals(3, refused.problems().size(), refused.problems().toString());
        assertTrue(refused.getMessage().contains("stack's own region"));
        assertTrue(refused.getMessage().contains("must be lower case"));
        assertTrue(refused.getMessage().contains("ObjectLockGovernanceDays 'forever'"));
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
                "Buckets", List.of(Map.of("Name", "Backup", "ObjectLockGovernanceDays", "36501")));

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
