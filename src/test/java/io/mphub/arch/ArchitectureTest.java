package io.mphub.arch;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The packages of src/main depend on each other one way, from boot down to config (docs/development.md draws it):
 * no cycles, each layer uses only the layers below it, and providers do not use each other.
 */
@AnalyzeClasses(packages = "io.mphub", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noCycles = slices().matching("io.mphub.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("boot").definedBy("io.mphub.boot..")
            .layer("ops").definedBy("io.mphub.ops..")
            .layer("provider").definedBy("io.mphub.provider..")
            .layer("deadletter").definedBy("io.mphub.deadletter..")
            .layer("event").definedBy("io.mphub.event..")
            .layer("deliver").definedBy("io.mphub.deliver..")
            .layer("kafka").definedBy("io.mphub.kafka..")
            .layer("enrich").definedBy("io.mphub.enrich..")
            .layer("privacy").definedBy("io.mphub.privacy..")
            .layer("callback").definedBy("io.mphub.callback..")
            .layer("sign").definedBy("io.mphub.sign..")
            .layer("http").definedBy("io.mphub.http..")
            .layer("config").definedBy("io.mphub.config..")
            .whereLayer("boot").mayNotBeAccessedByAnyLayer()
            .whereLayer("ops").mayOnlyBeAccessedByLayers("boot")
            .whereLayer("provider").mayOnlyBeAccessedByLayers("boot", "ops")
            .whereLayer("deadletter").mayOnlyBeAccessedByLayers("boot", "ops")
            .whereLayer("event").mayOnlyBeAccessedByLayers("boot", "provider", "deadletter")
            .whereLayer("deliver").mayOnlyBeAccessedByLayers("boot", "ops", "provider", "deadletter")
            .whereLayer("kafka").mayOnlyBeAccessedByLayers("boot", "ops", "provider", "deadletter", "event", "deliver",
                    "privacy")
            .whereLayer("enrich").mayOnlyBeAccessedByLayers("boot", "provider", "event")
            .whereLayer("privacy").mayOnlyBeAccessedByLayers("boot", "ops", "deliver")
            .whereLayer("callback").mayOnlyBeAccessedByLayers("boot", "ops", "provider")
            .whereLayer("sign").mayOnlyBeAccessedByLayers("boot", "ops", "provider", "deadletter")
            .whereLayer("http").mayOnlyBeAccessedByLayers("boot", "provider")
            .whereLayer("config").mayOnlyBeAccessedByLayers("boot", "ops", "provider", "deadletter", "event",
                    "deliver", "kafka", "enrich", "privacy", "callback", "sign", "http");

    /** A provider is one package: it uses the hub's parts, never another provider's. */
    @ArchTest
    static final ArchRule providersStandAlone = slices().matching("io.mphub.provider.(*)..").should()
            .notDependOnEachOther();
}
