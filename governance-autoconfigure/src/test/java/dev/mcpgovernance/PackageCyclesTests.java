package dev.mcpgovernance;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * No package of the starter depends on itself through another: a cycle makes two concerns one in
 * all but name (neither can be read, tested or moved alone).
 */
class PackageCyclesTests {

	private static final JavaClasses STARTER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.mcpgovernance");

	@Test
	void noPackageDependsOnItselfThroughAnother() {
		// "(**)" makes every package a slice of its own, the root package and sub-packages included.
		slices().matching("(**)").should().beFreeOfCycles().check(STARTER);
	}

}
