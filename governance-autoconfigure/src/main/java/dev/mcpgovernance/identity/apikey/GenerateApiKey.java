package dev.mcpgovernance.identity.apikey;

/**
 * Prints a new API key and the hash to declare in configuration. Run it with the server's pepper
 * in the environment:
 *
 * <pre>
 * MCP_GOVERNANCE_API_KEYS_PEPPER=... java -cp mcp-governance-spring-boot-autoconfigure.jar \
 *     dev.mcpgovernance.identity.apikey.GenerateApiKey
 * </pre>
 *
 * Uses only the JDK so that it runs from the jar alone.
 */
public final class GenerateApiKey {

	static final String PEPPER_VARIABLE = "MCP_GOVERNANCE_API_KEYS_PEPPER";

	private GenerateApiKey() {
	}

	public static void main(String[] args) {
		String pepper = System.getenv(PEPPER_VARIABLE);
		if (pepper == null || pepper.length() < ApiKeyHasher.MIN_PEPPER_LENGTH) {
			System.err.println("Set " + PEPPER_VARIABLE + " to the server's pepper (at least "
					+ ApiKeyHasher.MIN_PEPPER_LENGTH + " characters).");
			System.exit(2);
		}
		String secret = ApiKeyGenerator.newSecret();
		String hash = new ApiKeyHasher(pepper).hash(secret);
		System.out.println("API key (give it to the caller, it is not stored): " + secret);
		System.out.println("Declare it in application.yml:");
		System.out.println("""
				mcp:
				  governance:
				    api-keys:
				      declared:
				        - id: %s
				          hash: %s
				          owner-id: CHANGE-ME
				          scopes: [ "domain:*:read" ]""".formatted(ApiKeyGenerator.newKeyId(), hash));
	}

}
