package com.supportress.backup;

import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier: template.yaml read as data. BACKUP_TABLES is the backup's list of tables; this test is what
 * makes it the template's list too: a table added anywhere in the template without being added to the
 * backup (variable, permissions, backup-age alarm) fails here, before it can go unprotected.
 */
class BackupTemplateTest {

    private static final List<String> FUNCTIONS = List.of("BackupFunction", "BackupFinisherFunction", "BackupVerifyFunction", "BackupRestoreFunction");

    private final SamTemplate template = SamTemplate.load();
    private final Set<String> tables = new TreeSet<>(template.resourcesOfType("AWS::DynamoDB::Table").keySet());

    @Test
    void everyTableOfTheTemplateIsInBackupTablesOfTheDailyStartAndTheFinisher() {
        for (String function : List.of("BackupFunction", "BackupFinisherFunction")) {
            Map<String, Object> join = map(variables(function).get("BACKUP_TABLES"));
            List<?> parts = (List<?>) ((List<?>) join.get("Fn::Join")).get(1);
            Set<String> listed = new TreeSet<>();
            parts.forEach(part -> listed.add((String) map(part).get("Ref")));

            assertEquals(tables, listed, function);
        }
    }

    @Test
    void theBackupMayExportDescribeExportsAndPruneNativeBackupsOfEveryTableAndNothingMore() {
        assertEquals(tables, getAttTables(statement("BackupFunction", "ExportAndBackUpEveryTable")));
        assertEquals(tables, getAttTables(statement("BackupFinisherFunction", "DateNewTables")));
        assertEquals(tables, subTables(statement("BackupFinisherFunction", "DescribeExports"), "/export/*"));
        assertEquals(tables, subTables(statement("BackupFinisherFunction", "PruneNativeBackups"), "/backup/*"));
    }

    /**
     * What each function's code calls, and so exactly what its role may do. ImportTable reads S3 and writes
     * CloudWatch Logs with the caller's permissions, and an export writes S3 with them, as DynamoDB's guide lists.
     */
    @Test
    void eachBackupFunctionMayDoExactlyWhatItsCodeCalls() {
        assertEquals(Set.of("dynamodb:DescribeTable", "dynamodb:DescribeContinuousBackups", "dynamodb:CreateBackup",
                "dynamodb:ExportTableToPointInTime", "dynamodb:ListBackups", "s3:PutObject", "s3:PutObjectAcl", "s3:AbortMultipartUpload"),
                actions("BackupFunction"));
        assertEquals(Set.of("dynamodb:DescribeExport", "dynamodb:DescribeTable", "dynamodb:DeleteBackup", "dynamodb:ListBackups",
                "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListBucket", "s3:ListBucketMultipartUploads"),
                actions("BackupFinisherFunction"));
        Set<String> importLogs = Set.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams",
                "logs:PutLogEvents", "logs:PutRetentionPolicy");
        Set<String> verify = new TreeSet<>(Set.of("dynamodb:ImportTable", "dynamodb:DescribeImport", "dynamodb:Scan", "dynamodb:DeleteTable",
                "s3:GetObject", "s3:PutObject", "s3:ListBucket"));
        verify.addAll(importLogs);
        assertEquals(verify, actions("BackupVerifyFunction"));
        Set<String> restore = new TreeSet<>(Set.of("dynamodb:ImportTable", "dynamodb:DescribeImport", "dynamodb:CreateTable", "dynamodb:DescribeTable",
                "dynamodb:BatchWriteItem", "dynamodb:Scan", "dynamodb:DeleteTable", "s3:GetObject", "s3:ListBucket"));
        restore.addAll(importLogs);
        assertEquals(restore, actions("BackupRestoreFunction"));
    }

    @Test
    void everyTableHasABackupAgeAlarmBreachingAfter26HoursOrWithoutData() {
        Set<String> watched = new TreeSet<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            Map<String, Object> properties = map(alarm.get("Properties"));
            if (!"HoursSinceVerifiedBackup".equals(properties.get("MetricName"))) {
                return;
            }
            assertEquals(26, properties.get("Threshold"), id);
            assertEquals("GreaterThanThreshold", properties.get("ComparisonOperator"), id);
            assertEquals("breaching", properties.get("TreatMissingData"), id);
            assertEquals(List.of(Map.of("Ref", "OpsAlertsTopic")), properties.get("AlarmActions"), id);
            assertEquals(map(variables("BackupFinisherFunction").get("METRICS_NAMESPACE")), map(properties.get("Namespace")), id);
            Map<String, Object> dimension = map(((List<?>) properties.get("Dimensions")).getFirst());
            assertEquals("Table", dimension.get("Name"), id);
            watched.add((String) map(dimension.get("Value")).get("Ref"));
        });

        assertEquals(tables, watched);
    }

    @Test
    void everyTableHasPointInTimeRecovery() {
        for (String table : tables) {
            Map<String, Object> pitr = map(template.properties(table).get("PointInTimeRecoverySpecification"));
            assertEquals(Boolean.TRUE, pitr.get("PointInTimeRecoveryEnabled"), table + " must enable point-in-time recovery, or DynamoDB cannot export it");
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
        for (String function : FUNCTIONS) {
            String policies = String.valueOf(template.properties(function).get("Policies"));
            assertTrue(!policies.contains("BypassGovernanceRetention") && !policies.contains("PutBucket") && !policies.contains("s3:*"), function + ": " + policies);
        }
    }

    private Set<String> actions(String function) {
        Set<String> actions = new TreeSet<>();
        statements(function).forEach(statement -> {
            Object action = statement.get("Action");
            if (action instanceof List<?> list) {
                list.forEach(a -> actions.add((String) a));
            } else {
                actions.add((String) action);
            }
        });
        return actions;
    }

    private static Set<String> getAttTables(Map<String, Object> statement) {
        Set<String> named = new TreeSet<>();
        for (Object resource : (List<?>) statement.get("Resource")) {
            named.add((String) ((List<?>) map(resource).get("Fn::GetAtt")).get(0));
        }
        return named;
    }

    private static Set<String> subTables(Map<String, Object> statement, String suffix) {
        Set<String> named = new TreeSet<>();
        for (Object resource : (List<?>) statement.get("Resource")) {
            String sub = (String) map(resource).get("Fn::Sub");
            assertTrue(sub.endsWith(".Arn}" + suffix), sub);
            named.add(sub.substring(2, sub.indexOf(".Arn}")));
        }
        return named;
    }

    private Map<String, Object> variables(String function) {
        return map(map(template.properties(function).get("Environment")).get("Variables"));
    }

    private List<Map<String, Object>> statements(String function) {
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Object policy : (List<?>) template.properties(function).get("Policies")) {
            Object listed = map(policy).get("Statement");
            assertTrue(listed instanceof List<?>, function + " uses a policy other than its own statements: " + policy);
            ((List<?>) listed).forEach(statement -> statements.add(map(statement)));
        }
        return statements;
    }

    private Map<String, Object> statement(String function, String sid) {
        return statements(function).stream().filter(s -> sid.equals(s.get("Sid"))).findFirst()
                .orElseThrow(() -> new AssertionError(function + " has no policy statement " + sid));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertTrue(value instanceof Map<?, ?>, "expected a mapping, found " + value);
        return (Map<String, Object>) value;
    }
}
