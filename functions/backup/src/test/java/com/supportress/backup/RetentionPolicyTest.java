package com.supportress.backup;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unit tier: the retention rule, on a worked year of daily runs and exhaustively on every small history. */
class RetentionPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-25T04:00:00Z");

    @Test
    void aYearOfDailyRunsKeepsSevenDailyFiveWeeklyTwelveMonthly() {
        List<RetentionPolicy.Snapshot> runs = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2025, 10, 1); !day.isAfter(LocalDate.of(2026, 11, 25)); day = day.plusDays(1)) {
            runs.add(complete(day.atTime(3, 15).toInstant(ZoneOffset.UTC)));
        }

        Set<String> deleted = new RetentionPolicy(7, 5, 12).toDelete(runs, NOW);

        Set<String> kept = ids(runs);
        kept.removeAll(deleted);
        // Worked by hand: days Nov 19-25; weeks ending Nov 22 (daily already), Nov 15, Nov 8, Nov 1;
        // month ends Oct 31 back to Dec 31 2025 (November is Nov 25).
        Set<String> expected = new HashSet<>();
        for (int d = 19; d <= 25; d++) {
            expected.add(id(LocalDate.of(2026, 11, d)));
        }
        expected.addAll(Set.of(id(LocalDate.of(2026, 11, 15)), id(LocalDate.of(2026, 11, 8)), id(LocalDate.of(2026, 11, 1))));
        for (YearMonth month = YearMonth.of(2025, 12); month.isBefore(YearMonth.of(2026, 11)); month = month.plusMonths(1)) {
            expected.add(id(month.atEndOfMonth()));
        }
        assertEquals(21, expected.size());
        assertEquals(expected, kept);
    }

    @Test
    void aMonthOfFailedRunsDoesNotAgeOutTheLastGoodBackups() {
        List<RetentionPolicy.Snapshot> runs = new ArrayList<>();
        for (int d = 1; d <= 7; d++) {
            runs.add(complete(LocalDate.of(2026, 10, d).atTime(3, 15).toInstant(ZoneOffset.UTC)));
        }
        for (int d = 8; d <= 31; d++) {
            runs.add(new RetentionPolicy.Snapshot("failed-" + d, LocalDate.of(2026, 10, d).atTime(3, 15).toInstant(ZoneOffset.UTC), false));
        }

        Set<String> deleted = new RetentionPolicy(7, 5, 12).toDelete(runs, NOW);

        for (int d = 1; d <= 7; d++) {
            assertFalse(deleted.contains(id(LocalDate.of(2026, 10, d))), "good backup of Oct " + d + " kept");
        }
        assertEquals(24, deleted.size(), "every failed run older than a day goes");
    }

    @Test
    void theNewestGoodBackupSurvivesEvenWhenOlderThanEveryPeriodAndAllElseFailed() {
        RetentionPolicy.Snapshot lastGood = complete(Instant.parse("2024-01-01T03:15:00Z"));
        RetentionPolicy.Snapshot failed = new RetentionPolicy.Snapshot("failed", Instant.parse("2026-11-20T03:15:00Z"), false);

        Set<String> deleted = new RetentionPolicy(1, 0, 0).toDelete(List.of(lastGood, failed), NOW);

        assertEquals(Set.of("failed"), deleted);
    }

    @Test
    void aRunYoungerThanADayIsNeverDeletedEvenIncomplete() {
        RetentionPolicy.Snapshot running = new RetentionPolicy.Snapshot("running", NOW.minus(Duration.ofHours(23)), false);
        RetentionPolicy.Snapshot good = complete(NOW.minus(Duration.ofHours(2)));
        RetentionPolicy.Snapshot goodSameDay = complete(NOW.minus(Duration.ofHours(1)));

        Set<String> deleted = new RetentionPolicy(1, 0, 0).toDelete(List.of(running, good, goodSameDay), NOW);

        assertTrue(deleted.isEmpty(), deleted.toString());
    }

    /**
     * Every history of up to 10 runs on chosen times (each absent, complete or incomplete: 3^10 histories)
     * under two policies, against the rule stated independently: group complete runs by period, take the
     * newest of the last N periods; keep those, the newest complete run and anything younger than a day.
     */
    @Test
    void everySmallHistoryKeepsExactlyWhatTheRuleSays() {
        Instant[] times = {
                NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(20)), NOW.minus(Duration.ofHours(30)),
                NOW.minus(Duration.ofHours(31)), NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(6)),
                NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(26)), NOW.minus(Duration.ofDays(40)),
                NOW.minus(Duration.ofDays(75))};
        List<RetentionPolicy> policies = List.of(new RetentionPolicy(2, 1, 2), new RetentionPolicy(1, 2, 1), new RetentionPolicy(7, 5, 12));
        int histories = (int) Math.pow(3, times.length);
        for (RetentionPolicy policy : policies) {
            for (int history = 0; history < histories; history++) {
                List<RetentionPolicy.Snapshot> runs = new ArrayList<>();
                int state = history;
                for (int i = 0; i < times.length; i++, state /= 3) {
                    if (state % 3 != 0) {
                        runs.add(new RetentionPolicy.Snapshot("run" + i, times[i], state % 3 == 1));
                    }
                }
                assertEquals(expectedDeletions(policy, runs), policy.toDelete(runs, NOW), policy + " on " + runs);
            }
        }
    }

    private static Set<String> expectedDeletions(RetentionPolicy policy, List<RetentionPolicy.Snapshot> runs) {
        List<RetentionPolicy.Snapshot> complete = runs.stream().filter(RetentionPolicy.Snapshot::complete).toList();
        Set<String> keep = new HashSet<>();
        complete.stream().max((a, b) -> a.takenAt().compareTo(b.takenAt())).ifPresent(s -> keep.add(s.id()));
        keep.addAll(newestOfLastPeriods(complete, policy.daily(), s -> day(s).toEpochDay()));
        keep.addAll(newestOfLastPeriods(complete, policy.weekly(),
                s -> (long) day(s).get(IsoFields.WEEK_BASED_YEAR) * 100 + day(s).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        keep.addAll(newestOfLastPeriods(complete, policy.monthly(), s -> (long) YearMonth.from(day(s)).getYear() * 12 + YearMonth.from(day(s)).getMonthValue()));
        return runs.stream()
                .filter(s -> !keep.contains(s.id()) && s.takenAt().isBefore(NOW.minus(Duration.ofDays(1))))
                .map(RetentionPolicy.Snapshot::id)
                .collect(Collectors.toSet());
    }

    private static Set<String> newestOfLastPeriods(List<RetentionPolicy.Snapshot> complete, int periods, Function<RetentionPolicy.Snapshot, Long> period) {
        TreeMap<Long, RetentionPolicy.Snapshot> newestPerPeriod = new TreeMap<>();
        for (RetentionPolicy.Snapshot s : complete) {
            newestPerPeriod.merge(period.apply(s), s, (a, b) -> a.takenAt().isAfter(b.takenAt()) ? a : b);
        }
        Set<String> kept = new HashSet<>();
        for (Map.Entry<Long, RetentionPolicy.Snapshot> entry : newestPerPeriod.descendingMap().entrySet()) {
            if (kept.size() == periods) {
                break;
            }
            kept.add(entry.getValue().id());
        }
        return kept;
    }

    private static LocalDate day(RetentionPolicy.Snapshot snapshot) {
        return LocalDate.ofInstant(snapshot.takenAt(), ZoneOffset.UTC);
    }

    private static RetentionPolicy.Snapshot complete(Instant at) {
        return new RetentionPolicy.Snapshot(id(LocalDate.ofInstant(at, ZoneOffset.UTC)), at, true);
    }

    private static String id(LocalDate day) {
        return day.toString();
    }

    private static Set<String> ids(List<RetentionPolicy.Snapshot> runs) {
        return runs.stream().map(RetentionPolicy.Snapshot::id).collect(Collectors.toCollection(HashSet::new));
    }
}
