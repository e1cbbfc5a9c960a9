package dev.mcpgovernance.outbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.InboundAccessToken;
import dev.mcpgovernance.tool.ToolError;
import dev.mcpgovernance.tool.ToolErrorCode;
import dev.mcpgovernance.tool.ToolErrorException;

/**
 * A downstream token for the caller: from the cache while one is valid, otherwise by exchanging
 * the caller's access token. The cache key is a digest of who the caller is (credential, owner,
 * tenant, granted scopes), the audience and the scopes asked for, so two callers never share a
 * token and a caller's narrower token never serves a wider request.
 */
public class TokenExchanger {

	private final TokenExchangeClient client;

	private final ExchangedTokenCache cache;

	public TokenExchanger(TokenExchangeClient client, ExchangedTokenCache cache) {
		this.client = client;
		this.cache = cache;
	}

	/**
	 * @throws ToolErrorException {@code forbidden} for a caller without an OAuth access token (an
	 * API key cannot be exchanged), or when the exchange is refused
	 */
	public String tokenFor(CallerIdentity caller, InboundAccessToken inbound, DownstreamAuth.TokenExchange auth) {
		if (caller == null || inbound == null) {
			throw new ToolErrorException(new ToolError(ToolErrorCode.FORBIDDEN,
					"This tool calls its API on the caller's behalf and needs an OAuth access token; "
							+ "API-key callers cannot use it.",
					Map.of("audience", auth.audience())));
		}
		String key = cacheKey(caller, auth);
		return this.cache.get(key).orElseGet(() -> {
			ExchangedToken token = this.client.exchange(inbound.value(), auth.audience(), auth.scopes());
			this.cache.put(key, token);
			return token;
		}).value();
	}

	static String cacheKey(CallerIdentity caller, DownstreamAuth.TokenExchange auth) {
		String identity = String.join("\u0000", caller.keyId(), caller.ownerId(), String.valueOf(caller.tenant()),
				String.join(" ", caller.scopes().asStrings().stream().sorted().toList()), auth.audience(), String.join(" ", auth.scopes().stream().sorted().toList()));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
