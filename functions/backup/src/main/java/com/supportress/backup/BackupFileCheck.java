package com.supportress.backup;

import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Checks a table's backup in one bucket before anything reads it: every file the manifest lists is there
 * with its size and the SHA-256 S3 stored for it, and no other file sits under the table's data prefix
 * (ImportTable reads every object there). S3 verifies checksums as it stores objects and keeps them with
 * the object, so comparing the stored checksum needs no reading of the file: a file replaced, truncated or
 * added since the backup is refused by name.
 */
final class BackupFileCheck {

    private BackupFileCheck() {
    }

    static void verify(BackupStore store, TableManifest backup, Consumer<String> progress) {
        int checked = 0;
        for (TableManifest.BackupFile file : backup.files()) {
            Optional<HeadObjectResponse> head = store.head(file.key());
            if (head.isEmpty()) {
                throw new RestoreRefusedException("file " + file.key() + " listed in the manifest is missing from " + store.bucket()
                        + " (" + store.region() + "); nothing was restored");
            }
            String actual = head.get().checksumSHA256();
            if (head.get().contentLength() != file.bytes() || !Checksums.same(file.sha256(), actual)) {
                throw new RestoreRefusedException("checksum mismatch in file " + file.key() + " in " + store.bucket() + ": expected "
                        + file.bytes() + " bytes with SHA-256 " + file.sha256() + ", found " + head.get().contentLength() + " bytes with SHA-256 "
                        + (actual == null ? "none" : actual) + "; nothing was restored");
            }
            progress.accept("checked " + (++checked) + "/" + backup.files().size() + " files: " + file.key());
        }
        Set<String> listed = backup.files().stream().map(TableManifest.BackupFile::key).collect(Collectors.toSet());
        Set<String> extra = store.list(backup.dataPrefix()).stream().map(S3Object::key).filter(k -> !listed.contains(k))
                .collect(Collectors.toCollection(TreeSet::new));
        if (!extra.isEmpty()) {
            throw new RestoreRefusedException("file " + extra.iterator().next() + " under " + backup.dataPrefix() + " is not in the manifest"
                    + (extra.size() > 1 ? " (nor " + (extra.size() - 1) + " more)" : "") + "; nothing was restored");
        }
    }
}
