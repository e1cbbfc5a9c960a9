package dev.mcpgovernance.outbound;

import java.util.Optional;

/**
 * Exchanged tokens by cache key (a digest of the caller, the audience and the scopes), kept until
 * shortly before they expire so that a caller's calls do not each cost a round trip to the
 * authorization server.
 */
public interface ExchangedTokenCache {

	/** The token kept for this key, if it is not about to expire. */
	Optional<ExchangedToken> get(String key);

	void put(String key, ExchangedToken token);

}
