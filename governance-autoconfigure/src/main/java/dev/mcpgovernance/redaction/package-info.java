/**
 * Redaction of results and audit text: {@link dev.mcpgovernance.redaction.Redactor} removes values
 * under sensitive keys and values of sensitive shapes ({@link dev.mcpgovernance.redaction.Detector},
 * user patterns) from JSON trees and Java objects.
 */
package dev.mcpgovernance.redaction;
