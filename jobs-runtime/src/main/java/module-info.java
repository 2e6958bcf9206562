/**
 * The runtime: {@code JobManager} and what it returns ({@code dev.jobs.runtime}), the events it
 * publishes ({@code dev.jobs.runtime.events}) and its hooks and webhooks ({@code dev.jobs.runtime.notify}). Everything else (store, execution, codecs,
 * registry, maintenance) is internal; the test harness reaches the hooks it needs through
 * qualified exports.
 *
 * <p>A host on the module path provides its jobs with {@code provides dev.jobs.JobRegistration
 * with ...} (the annotation processor's generated registrations) and opens the packages of its
 * job classes to {@code com.fasterxml.jackson.databind}, which reads and writes their fields.
 */
module dev.jobs.runtime {
    requires transitive dev.jobs;
    requires com.cronutils;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires jackson.dataformat.msgpack;
    requires java.net.http;
    requires java.sql;
    requires org.jooq;
    // not needed to run: only so that javadoc can read the JAXB annotations on jOOQ's classes
    requires static jakarta.xml.bind;
    requires org.slf4j;
    requires org.xerial.sqlitejdbc;

    exports dev.jobs.runtime;
    exports dev.jobs.runtime.events;
    exports dev.jobs.runtime.notify;
    exports dev.jobs.runtime.store;
    exports dev.jobs.runtime.testing to
            dev.jobs.test;
    exports dev.jobs.runtime.codec to
            dev.jobs.test;
    exports dev.jobs.runtime.registry to
            dev.jobs.test;
    exports dev.jobs.runtime.metrics to
            dev.jobs.micrometer;

    uses dev.jobs.JobRegistration;
}
