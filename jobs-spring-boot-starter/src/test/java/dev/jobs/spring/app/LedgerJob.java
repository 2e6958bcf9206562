package dev.jobs.spring.app;

import dev.jobs.Job;
import dev.jobs.JobContext;
import dev.jobs.JobHandler;
import dev.jobs.Param;
import dev.jobs.Progress;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Writes {@code entries} entries for {@code account} to the application's {@link Ledger}, one
 * checkpoint per entry, and returns which ledger wrote the last one and how many were written.
 */
@Job(name = "ledger", description = "Writes entries to the application's ledger")
public class LedgerJob implements JobHandler<String> {

    @Param
    String account;

    @Param
    int entries = 3;

    int written; // the resume point: saved at each checkpoint

    @Autowired
    transient Ledger ledger; // a Spring bean: injected before every run, never saved

    LedgerJob() {}

    @Override
    public String run(JobContext ctx) throws Exception {
        if (ledger == null) {
            throw new IllegalStateException("no ledger: the bean was not injected into this object");
        }
        while (written < entries) {
            ctx.checkInterrupt();
            ledger.write(account + ":" + written);
            written++;
            ctx.progress(Progress.count(written, entries));
            ctx.checkpoint();
            ledger.afterCheckpoint(ctx, written);
        }
        return ledger.name() + ":" + written;
    }
}
