package com.supportress.backup;

import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier: template.yaml read as data. BACKUP_TABLES is the backup's list of tables; this test is what
 * makes it the template's list too: a table added anywhere in the template without being added to the
 * backup (variable and permissions) fails here, before it can go unprotected.
 */
class BackupTemplateTest {

    private final SamTemplate template = SamTemplate.load();
    private final Set<String> tables = new TreeSet<>(template.resourcesOfType("AWS::DynamoDB::Table").keySet());

    @Test
    void everyTableOfTheTemplateIsInBackupTables() {
        Map<String, Object> join = map(variables("BackupFunction").get("BACKUP_TABLES"));
        List<?> parts = (List<?>) ((List<?>) join.get("Fn::Join")).get(1);
        Set<String> listed = new TreeSet<>();
        parts.forEach(part -> listed.add((String) map(part).get("Ref")));

        assertEquals(tables, listed);
    }

    @Test
    void backupFunctionMayReadAndBackUpEveryTableAndNothingMore() {
        Set<String> readable = new TreeSet<>();
        for (Object resource : (List<?>) statement("ReadAndBackUpEveryTable").get("Resource")) {
            readable.add((String) ((List<?>) map(resource).get("Fn::GetAtt")).get(0));
        }
        Set<String> prunable = new TreeSet<>();
        for (Object resource : (List<?>) statement("PruneNativeBackups").get("Resource")) {
            String sub = (String) map(resource).get("Fn::Sub");
            prunable.add(sub.substring(2, sub.indexOf(".Arn}")));
        }

        assertEquals(tables, readable);
        assertEquals(tables, prunable);
    }

    @Test
    void everyTableHasPointInTimeRecovery() {
        for (String table : tables) {
            Map<String, Object> pitr = map(template.properties(table).get("PointInTimeRecoverySpecification"));
            assertEquals(Boolean.TRUE, pitr.get("PointInTimeRecoveryEnabled"), table + " must enable point-in-time recovery");
        }
    }

    @Test
    void backupBucketIsLockedVersionedEncryptedPrivateAndTlsOnly() {
        Map<String, Object> bucket = template.properties("BackupBucket");
        assertEquals(Boolean.TRUE, bucket.get("ObjectLockEnabled"));
        Map<String, Object> retention = map(map(map(bucket.get("ObjectLockConfiguration")).get("Rule")).get("DefaultRetention"));
        // The mode is a parameter (COMPLIANCE in prod); TemplateDeployReadinessTest checks the values each environment gets.
        assertEquals(Map.of("Ref", "BackupObjectLockMode"), retention.get("Mode"));
        assertEquals("Enabled", map(bucket.get("VersioningConfiguration")).get("Status"));
        assertTrue(bucket.containsKey("BucketEncryption"));
        Map<String, Object> publicAccess = map(bucket.get("PublicAccessBlockConfiguration"));
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertEquals(Boolean.TRUE, publicAccess.get(setting), setting);
        }
        Map<String, Object> policy = map(template.properties("BackupBucketPolicy").get("PolicyDocument"));
        Map<String, Object> denyPlainHttp = map(((List<?>) policy.get("Statement")).getFirst());
        assertEquals("Deny", denyPlainHttp.get("Effect"));
        assertEquals(false, map(map(denyPlainHttp.get("Condition")).get("Bool")).get("aws:SecureTransport"));
    }

    @Test
    void noBackupRoleMayBypassTheObjectLock() {
        for (String function : List.of("BackupFunction", "BackupVerifyFunction", "BackupRestoreFunction")) {
            String policies = String.valueOf(template.properties(function).get("Policies"));
            assertTrue(!policies.contains("BypassGovernanceRetention") && !policies.contains("PutBucket") && !policies.contains("s3:*"), function + ": " + policies);
        }
    }

    private Map<String, Object> variables(String function) {
        return map(map(template.properties(function).get("Environment")).get("Variables"));
    }

    private Map<String, Object> statement(String sid) {
        for (Object policy : (List<?>) template.properties("BackupFunction").get("Policies")) {
            Object statements = map(policy).get("Statement");
            if (statements instanceof List<?> list) {
                for (Object statement : list) {
                    if (sid.equals(map(statement).get("Sid"))) {
                        return map(statement);
                    }
                }
            }
        }
        throw new AssertionError("BackupFunction has no policy statement " + sid);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map<?, ?>, "expected a mapping, found " + value);
        return (Map<String, Object>) value;
    }
}
