package com.supportress.backup;

import io.micronaut.json.JsonMapper;
import software.amazon.awssdk.services.dynamodb.model.ExportDescription;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The data files of a completed export, checked before anything is copied. Where DynamoDB wrote its
 * manifests (always in AWS; DescribeExport names the summary), the export must be exactly what they
 * describe: the item counts of summary, files manifest and DescribeExport agree, every listed file is
 * there with the ETag DynamoDB recorded, and no other file sits beside them. Without manifests (the
 * emulator writes only the data file), the data files under the export's prefix are taken as they are.
 */
final class ExportFiles {

    private final WorkBucket work;
    private final JsonMapper json;

    ExportFiles(WorkBucket work, JsonMapper json) {
        this.work = work;
        this.json = json;
    }

    List<RunState.FileState> validate(String runId, String table, ExportDescription export) {
        String prefix = WorkBucket.exportPrefix(runId, table);
        List<S3Object> objects = work.list(prefix + "/AWSDynamoDB/");
        Map<String, S3Object> data = new LinkedHashMap<>();
        objects.stream().filter(o -> o.key().contains("/data/")).forEach(o -> data.put(o.key(), o));
        Set<String> exportDirectories = objects.stream().map(o -> exportDirectory(prefix, o.key())).collect(Collectors.toCollection(TreeSet::new));
        if (exportDirectories.size() > 1) {
            throw new ExportManifests.InvalidExportException("several exports under " + prefix + ": " + exportDirectories);
        }
        long expectedItems = export.itemCount() == null ? -1 : export.itemCount();
        List<String> summaries = objects.stream().map(S3Object::key).filter(k -> k.endsWith("/" + ExportManifests.SUMMARY)).toList();
        String summaryKey = export.exportManifest() != null ? ExportManifests.resolve(prefix, export.exportManifest())
                : summaries.isEmpty() ? null : summaries.getFirst();
        List<RunState.FileState> files = summaryKey == null ? unlisted(data) : listed(prefix, summaryKey, data, expectedItems, export.exportArn());
        if (expectedItems > 0 && files.isEmpty()) {
            throw new ExportManifests.InvalidExportException("DynamoDB exported " + expectedItems + " items of " + table + " but no data file is under " + prefix);
        }
        return files;
    }

    private List<RunState.FileState> listed(String prefix, String summaryKey, Map<String, S3Object> data, long expectedItems, String exportArn) {
        ExportManifests.Summary summary;
        try {
            summary = ExportManifests.summary(json, work.bytes(summaryKey));
        } catch (NoSuchKeyException e) {
            throw new ExportManifests.InvalidExportException("the export's manifest " + summaryKey + " is missing");
        }
        if (summary.outputFormat() != null && !"DYNAMODB_JSON".equals(summary.outputFormat())) {
            throw new ExportManifests.InvalidExportException(summaryKey + " says format " + summary.outputFormat() + ", not DYNAMODB_JSON");
        }
        if (summary.exportArn() != null && exportArn != null && !summary.exportArn().equals(exportArn)) {
            throw new ExportManifests.InvalidExportException(summaryKey + " belongs to export " + summary.exportArn() + ", not " + exportArn);
        }
        if (expectedItems >= 0 && summary.itemCount() != expectedItems) {
            throw new ExportManifests.InvalidExportException(summaryKey + " counts " + summary.itemCount() + " items, DescribeExport " + expectedItems);
        }
        String filesKey = ExportManifests.resolve(prefix, summary.manifestFilesS3Key());
        List<ExportManifests.DataFile> entries;
        try {
            entries = ExportManifests.files(json, work.bytes(filesKey));
        } catch (NoSuchKeyException e) {
            throw new ExportManifests.InvalidExportException("the export's file list " + filesKey + " is missing");
        }
        long listedItems = entries.stream().mapToLong(ExportManifests.DataFile::itemCount).sum();
        if (listedItems != summary.itemCount()) {
            throw new ExportManifests.InvalidExportException(filesKey + " lists " + listedItems + " items in its files, " + summaryKey + " " + summary.itemCount());
        }
        List<RunState.FileState> files = new ArrayList<>();
        Set<String> unlisted = new TreeSet<>(data.keySet());
        for (ExportManifests.DataFile entry : entries) {
            String key = ExportManifests.resolve(prefix, entry.dataFileS3Key());
            S3Object object = data.get(key);
            if (object == null) {
                throw new ExportManifests.InvalidExportException("file " + key + " listed in " + filesKey + " is missing");
            }
            if (!ExportManifests.unquoted(entry.etag()).equals(ExportManifests.unquoted(object.eTag()))) {
                throw new ExportManifests.InvalidExportException("file " + key + " has ETag " + object.eTag() + " but DynamoDB wrote " + entry.etag()
                        + ": it changed after the export");
            }
            unlisted.remove(key);
            files.add(file(object, entry.itemCount()));
        }
        if (!unlisted.isEmpty()) {
            throw new ExportManifests.InvalidExportException("files not in " + filesKey + " sit beside the export: " + unlisted);
        }
        return files;
    }

    private static List<RunState.FileState> unlisted(Map<String, S3Object> data) {
        return data.values().stream().map(o -> file(o, null)).toList();
    }

    private static RunState.FileState file(S3Object object, Long items) {
        String name = object.key().substring(object.key().lastIndexOf('/') + 1);
        return new RunState.FileState(name, object.key(), object.size(), items, ExportManifests.unquoted(object.eTag()), null, 0, false, false);
    }

    /** {@code AWSDynamoDB/<exportId>}, the directory DynamoDB makes per export below the prefix. */
    private static String exportDirectory(String prefix, String key) {
        String rest = key.substring(prefix.length() + "/AWSDynamoDB/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
