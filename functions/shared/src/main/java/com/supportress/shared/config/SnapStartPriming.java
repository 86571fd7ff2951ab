package com.supportress.shared.config;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a function's priming work just before SnapStart takes its snapshot, so the classes, JIT state and
 * connections of the hot path are already in the snapshot every restored instance starts from. A priming
 * failure is logged, never fatal: the snapshot is still good, only less warm.
 */
public final class SnapStartPriming implements Resource {

    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);

    private final Runnable primer;
    private final Runnable afterRestore;

    private SnapStartPriming(Runnable primer, Runnable afterRestore) {
        this.primer = primer;
        this.afterRestore = afterRestore;
    }

    /**
     * Registers the primer, and what a restored instance must reset; the returned resource must stay referenced (CRaC
     * holds resources weakly).
     */
    public static SnapStartPriming register(Runnable primer, Runnable afterRestore) {
        SnapStartPriming priming = new SnapStartPriming(primer, afterRestore);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Clients re-resolve credentials themselves, and ids come from a non-blocking native SecureRandom that reads
        // the kernel's entropy on every call, so restored instances differ; only the handler's own state is reset.
        afterRestore.run();
    }

    /** What the checkpoint runs; also called by tests, which cannot take a snapshot. True when priming completed. */
    public boolean prime() {
        long start = System.nanoTime();
        try {
            primer.run();
            LOG.info("primed for snapshot in {} ms", (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("priming failed; the snapshot will be colder", e);
            return false;
        }
    }
}
