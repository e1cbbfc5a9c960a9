package dev.mcpgovernance.audit;

import java.io.PrintStream;

import dev.mcpgovernance.audit.AuditChainVerifier.Break;
import dev.mcpgovernance.audit.AuditChainVerifier.Verification;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Verifies the audit trail's hash chains from the command line, for a lint step or an auditor
 * without the admin API. Exit status 0 when every chain is intact, 1 when one breaks, 2 on error:
 * <pre>
 * java -cp app.jar:postgresql.jar dev.mcpgovernance.audit.VerifyAuditChain \
 *     jdbc:postgresql://db/app?currentSchema=app  user  [password]
 * </pre>
 * The password may also come from the environment variable {@code MCP_GOVERNANCE_AUDIT_DB_PASSWORD}.
 */
public final class VerifyAuditChain {

	private VerifyAuditChain() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out));
	}

	static int run(String[] args, PrintStream out) {
		if (args.length < 2) {
			out.println("usage: VerifyAuditChain <jdbc-url> <user> [password]");
			return 2;
		}
		String password = (args.length > 2) ? args[2] : System.getenv("MCP_GOVERNANCE_AUDIT_DB_PASSWORD");
		try {
			Verification result = new AuditChainVerifier(new DriverManagerDataSource(args[0], args[1], password))
				.verify();
			out.println("Checked " + result.rows() + " rows in " + result.streams() + " streams; " + result.gaps()
					+ " gaps, " + result.missingRows() + " rows missing.");
			for (Break broken : result.breaks()) {
				out.println("BROKEN stream " + broken.streamId() + " seq " + broken.streamSeq() + " record "
						+ broken.recordId() + ": " + broken.problem() + " (" + broken.detail() + ")");
			}
			if (result.truncated()) {
				out.println("More breaks than shown.");
			}
			out.println(result.intact() ? "Every chain is intact." : "The audit trail was tampered with.");
			return result.intact() ? 0 : 1;
		}
		catch (RuntimeException ex) {
			out.println("Could not verify: " + ex.getMessage());
			return 2;
		}
	}

}
