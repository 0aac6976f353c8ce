package org.seqml;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of seqml, held in the build: data flows one way (faces, pipeline, domains, tasks, then
 * windows, models, training, scoring, evaluation, io and config), and no lower layer imports a higher.
 */
class LayersTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.seqml");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.seqml.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheFacesComposeARun() {
    noClasses().that().resideInAnyPackage("org.seqml.io..", "org.seqml.config..", "org.seqml.model..",
            "org.seqml.window..", "org.seqml.train..", "org.seqml.score..", "org.seqml.eval..", "org.seqml.report..",
            "org.seqml.run..", "org.seqml.task..", "org.seqml.domain..", "org.seqml.ingest..", "org.seqml.util..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.pipeline..", "org.seqml.cli..",
            "org.seqml.notebook..", "org.seqml.bench..")
        .check(classes);
  }

  @Test
  void nothingBelowThePipelineKnowsADomain() {
    noClasses().that().resideInAnyPackage("org.seqml.task..", "org.seqml.window..", "org.seqml.model..",
            "org.seqml.train..", "org.seqml.score..", "org.seqml.eval..", "org.seqml.report..", "org.seqml.io..",
            "org.seqml.config..", "org.seqml.run..", "org.seqml.util..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.domain..", "org.seqml.ingest..")
        .check(classes);
  }

  @Test
  void configKnowsNoNetworkAndIoKnowsNoRun() {
    noClasses().that().resideInAPackage("org.seqml.config..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.model..", "org.seqml.train..",
            "org.seqml.window..", "org.seqml.io..", "org.seqml.run..")
        .check(classes);
    noClasses().that().resideInAPackage("org.seqml.io..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.run..", "org.seqml.model..",
            "org.seqml.task..")
        .check(classes);
  }

  @Test
  void modelsKnowNoScalerOrVocabulary() {
    noClasses().that().resideInAPackage("org.seqml.model..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.window..", "org.seqml.task..",
            "org.seqml.train..", "org.seqml.score..", "org.seqml.eval..")
        .check(classes);
  }

  @Test
  void domainsAndTasksStayApart() {
    noClasses().that().resideInAPackage("org.seqml.domain..")
        .should().dependOnClassesThat().resideInAnyPackage("org.seqml.train..", "org.seqml.score..",
            "org.seqml.eval..", "org.seqml.model..")
        .check(classes);
  }
}
