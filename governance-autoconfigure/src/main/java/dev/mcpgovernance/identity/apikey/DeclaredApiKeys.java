package dev.mcpgovernance.identity.apikey;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Keys declared in configuration (as hashes) for small deployments; read-only. */
public final class DeclaredApiKeys {

	private final Map<String, ApiKey> byHash;

	public DeclaredApiKeys(List<ApiKey> keys) {
		this.byHash = keys.stream().collect(Collectors.toUnmodifiableMap(ApiKey::keyHash, Function.identity()));
	}

	public Optional<ApiKey> findByHash(String keyHash) {
		return Optional.ofNullable(this.byHash.get(keyHash));
	}

	public List<ApiKey> all() {
		return List.copyOf(this.byHash.values());
	}

	public boolean isEmpty() {
		return this.byHash.isEmpty();
	}

}
