package dev.mcpgovernance.identity.apikey;

import dev.mcpgovernance.MutableClock;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mcpgovernance.identity.apikey.ApiKeyManager.CreatedApiKey;
import dev.mcpgovernance.identity.AuthenticationOutcome.Authenticated;
import dev.mcpgovernance.identity.AuthenticationOutcome.Rejected;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The authenticator and the manager together, on real stores, as the auto-configuration wires them. */
class ApiKeyAuthenticatorTests {

	private static final String PEPPER = "a-test-pepper-of-at-least-32-characters";

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final MutableClock clock = new MutableClock(NOW);

	private final ApiKeyHasher hasher = new ApiKeyHasher(PEPPER);

	private final String declaredSecret = ApiKeyGenerator.newSecret();

	private final DeclaredApiKeys declaredKeys = new DeclaredApiKeys(List.of(new ApiKey("key_declared",
			this.hasher.hash(this.declaredSecret), "ops", "Operations", ScopeSet.parseSpaceSeparated("orders:*:read"),
			null, null, null, null)));

	private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();

	// A long TTL: whatever the tests see after a revocation is not the cache expiring.
	private final ApiKeyAuthenticator authenticator = new ApiKeyAuthenticator(this.hasher, this.declaredKeys, this.store,
			Duration.ofHours(1), 100, this.clock);

	private final ApiKeyManager manager = new ApiKeyManager(this.hasher, this.store, this.declaredKeys,
			this.authenticator, this.clock);

	@Test
	void acceptedKeyYieldsTheStoredIdentity() {
		CreatedApiKey created = this.manager.create("alice", "Alice", ScopeSet.parseSpaceSeparated("orders:order:read"),
				120, null);

		AuthenticationOutcome outcome = this.authenticator.authenticate(created.secret(), Transport.HTTP);

		assertThat(outcome).isInstanceOfSatisfying(Authenticated.class, (authenticated) -> {
			CallerIdentity caller = authenticated.identity();
			assertThat(caller.keyId()).isEqualTo(created.key().id());
			assertThat(caller.ownerId()).isEqualTo("alice");
			assertThat(caller.ownerLabel()).isEqualTo("Alice");
			assertThat(caller.scopes()).isEqualTo(ScopeSet.parseSpaceSeparated("orders:order:read"));
			assertThat(caller.rateLimitRpm()).isEqualTo(120);
			assertThat(caller.transport()).isEqualTo(Transport.HTTP);
		});
	}

	@Test
	void identityCarriesTheTransportOfEachCall() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);
		this.authenticator.authenticate(created.secret(), Transport.HTTP);

		assertThat(identity(this.authenticator.authenticate(created.secret(), Transport.STDIO)).transport())
			.isEqualTo(Transport.STDIO);
	}

	@Test
	void unknownKeyIsRejectedAsNotRecognised() {
		this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"), null, null);

		assertThat(this.authenticator.authenticate(ApiKeyGenerator.newSecret(), Transport.HTTP))
			.isEqualTo(new Rejected("The API key is not recognised"));
	}

	@Test
	void keyHashedUnderAnotherPepperIsNotRecognised() {
		String secret = ApiKeyGenerator.newSecret();
		this.store.save(new ApiKey("key_other", new ApiKeyHasher("another-pepper-of-at-least-32-chars!").hash(secret),
				"mallory", null, ScopeSet.parseSpaceSeparated("orders:*:*"), null, NOW, null, null));

		assertThat(this.authenticator.authenticate(secret, Transport.HTTP)).isInstanceOf(Rejected.class);
	}

	@Test
	void malformedKeyIsRejectedBeforeAnyLookup() {
		assertThat(this.authenticator.authenticate("sk_short", Transport.HTTP))
			.isEqualTo(new Rejected("The API key is malformed"));
		assertThat(this.authenticator.authenticate(null, Transport.HTTP))
			.isEqualTo(new Rejected("The API key is malformed"));
	}

	@Test
	void revokedKeyIsRejectedOnTheVeryNextCallAlthoughItWasCached() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);
		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP)).isInstanceOf(Authenticated.class);

		assertThat(this.manager.revoke(created.key().id())).isTrue();

		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP))
			.isEqualTo(new Rejected("The API key has been revoked"));
	}

	@Test
	void revocationThatBypassesTheManagerWaitsForTheCacheToExpire() {
		// What another replica sees: the store says revoked, this replica's cache still holds the key.
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);
		this.authenticator.authenticate(created.secret(), Transport.HTTP);

		this.store.revoke(created.key().id(), NOW);

		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP)).isInstanceOf(Authenticated.class);
		this.authenticator.evict(created.key().id());
		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP))
			.isEqualTo(new Rejected("The API key has been revoked"));
	}

	@Test
	void revokingTwiceOrAnUnknownKeyReportsFalse() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);

		assertThat(this.manager.revoke(created.key().id())).isTrue();
		assertThat(this.manager.revoke(created.key().id())).isFalse();
		assertThat(this.manager.revoke("key_unknown")).isFalse();
	}

	@Test
	void keyCreatedAlreadyExpiredIsRejectedAsExpired() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, NOW.minusSeconds(1));

		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP))
			.isEqualTo(new Rejected("The API key has expired"));
	}

	@Test
	void cachedKeyIsRejectedOnceItsExpiryPasses() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, NOW.plusSeconds(60));
		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP)).isInstanceOf(Authenticated.class);

		this.clock.advance(Duration.ofSeconds(60));

		assertThat(this.authenticator.authenticate(created.secret(), Transport.HTTP))
			.isEqualTo(new Rejected("The API key has expired"));
	}

	@Test
	void declaredKeyIsAccepted() {
		CallerIdentity caller = identity(this.authenticator.authenticate(this.declaredSecret, Transport.HTTP));

		assertThat(caller.keyId()).isEqualTo("key_declared");
		assertThat(caller.ownerId()).isEqualTo("ops");
		assertThat(caller.holds(Scope.required("orders", "invoice", "read"))).isTrue();
		assertThat(caller.holds(Scope.required("orders", "invoice", "delete"))).isFalse();
		assertThat(caller.rateLimitRpm()).isNull();
	}

	@Test
	void declaredKeyCannotBeRevokedThroughTheManager() {
		assertThat(this.manager.revoke("key_declared")).isFalse();
		assertThat(this.authenticator.authenticate(this.declaredSecret, Transport.HTTP))
			.isInstanceOf(Authenticated.class);
	}

	@Test
	void listShowsDeclaredAndStoredKeysWithoutSecrets() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);

		List<ApiKey> keys = this.manager.list();

		assertThat(keys).extracting(ApiKey::id).containsExactlyInAnyOrder("key_declared", created.key().id());
		assertThat(keys).allSatisfy((key) -> assertThat(key.toString()).doesNotContain(created.secret())
			.doesNotContain(this.declaredSecret));
		assertThat(keys).filteredOn((key) -> key.id().equals(created.key().id()))
			.singleElement()
			.satisfies((key) -> assertThat(key.keyHash()).isEqualTo(this.hasher.hash(created.secret())));
	}

	@Test
	void createdKeyRecordsTheClockAndHidesTheSecretWhenPrinted() {
		CreatedApiKey created = this.manager.create("alice", null, ScopeSet.parseSpaceSeparated("orders:order:read"),
				null, null);

		assertThat(created.key().createdAt()).isEqualTo(NOW);
		assertThat(created.toString()).contains(created.key().id()).contains("<hidden>").doesNotContain(created.secret());
	}

	private static CallerIdentity identity(AuthenticationOutcome outcome) {
		assertThat(outcome).isInstanceOf(Authenticated.class);
		return ((Authenticated) outcome).identity();
	}

}
