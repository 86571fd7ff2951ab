package com.supportress.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which backups to keep: the newest backup of each of the {@code daily} most recent days that have one,
 * of each of the {@code weekly} most recent ISO weeks, and of each of the {@code monthly} most recent
 * months: restic's --keep-daily/--keep-weekly/--keep-monthly, each rule on its own and their union kept
 * (days, weeks and months in UTC).
 * Counting periods that have a backup, not calendar periods, means a month of failed runs never ages
 * the last good backups out. Two guards on top: the newest complete backup is always kept, and nothing
 * younger than {@link #MINIMUM_AGE} is deleted, since such a run may still be writing.
 */
public record RetentionPolicy(int daily, int weekly, int monthly) {

    public static final Duration MINIMUM_AGE = Duration.ofDays(1);

    public RetentionPolicy {
        if (daily < 1 || weekly < 0 || monthly < 0) {
            throw new IllegalStateException("retention must keep at least 1 daily backup and no negative counts");
        }
    }

    /** One backup as retention sees it; incomplete ones (a run without a manifest) never count as kept periods. */
    public record Snapshot(String id, Instant takenAt, boolean complete) {
    }

    /** The ids to delete, given every backup that exists now. */
    public Set<String> toDelete(List<Snapshot> snapshots, Instant now) {
        List<Snapshot> newestFirst = snapshots.stream().sorted(Comparator.comparing(Snapshot::takenAt).reversed()).toList();
        List<Snapshot> complete = newestFirst.stream().filter(Snapshot::complete).toList();
        Set<String> keep = new HashSet<>();
        if (!complete.isEmpty()) {
            keep.add(complete.getFirst().id());
        }
        keepNewestPerPeriod(complete, daily, s -> LocalDate.ofInstant(s.takenAt(), ZoneOffset.UTC), keep);
        keepNewestPerPeriod(complete, weekly, s -> {
            LocalDate day = LocalDate.ofInstant(s.takenAt(), ZoneOffset.UTC);
            return day.get(IsoFields.WEEK_BASED_YEAR) * 100 + day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
        }, keep);
        keepNewestPerPeriod(complete, monthly, s -> YearMonth.from(LocalDate.ofInstant(s.takenAt(), ZoneOffset.UTC)), keep);
        Instant youngest = now.minus(MINIMUM_AGE);
        Set<String> delete = new HashSet<>();
        for (Snapshot snapshot : newestFirst) {
            if (!keep.contains(snapshot.id()) && snapshot.takenAt().isBefore(youngest)) {
                delete.add(snapshot.id());
            }
        }
        return delete;
    }

    private static void keepNewestPerPeriod(List<Snapshot> newestFirst, int periods, Function<Snapshot, Object> period, Set<String> keep) {
        Set<Object> seen = new HashSet<>();
        for (Snapshot snapshot : newestFirst) {
            if (seen.size() == periods) {
                return;
            }
            if (seen.add(period.apply(snapshot))) {
                keep.add(snapshot.id());
            }
        }
    }
}
