package dev.mcpgovernance.capability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import biscuit.format.schema.Schema.PublicKey.Algorithm;
import dev.mcpgovernance.identity.AuthenticationOutcome;
import dev.mcpgovernance.identity.CallerIdentity;
import dev.mcpgovernance.identity.Transport;
import dev.mcpgovernance.scope.Scope;
import dev.mcpgovernance.scope.ScopeSet;
import dev.mcpgovernance.tool.GovernanceContext;
import io.vavr.control.Option;
import org.biscuitsec.biscuit.crypto.KeyPair;
import org.biscuitsec.biscuit.crypto.PublicKey;
import org.biscuitsec.biscuit.token.Biscuit;
import org.biscuitsec.biscuit.token.builder.Block;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Minting, narrowing and verifying real Biscuit tokens: the effective rights are the intersection
 * of every block, and no block can widen them.
 */
class CapabilityTokenTests {

	static final Scope READ_ORDER = Scope.required("orders", "order", "read");

	static final Scope CANCEL_ORDER = Scope.required("orders", "order", "cancel");

	final KeyPair rootKey = new KeyPair();

	final CapabilityIssuer issuer = new CapabilityIssuer(this.rootKey, 1, Duration.ofHours(24), Clock.systemUTC());

	final CapabilityVerifier verifier = new CapabilityVerifier(new CapabilityKeys(Map.of(1, this.rootKey.public_key())),
			8, null, Clock.systemUTC());

	String mint(String... scopes) {
		return this.issuer.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of(scopes)), Duration.ofHours(1)))
			.token();
	}

	CallerIdentity verified(String token) {
		AuthenticationOutcome outcome = this.verifier.authenticate(token);
		assertThat(outcome).isInstanceOf(AuthenticationOutcome.Authenticated.class);
		return ((AuthenticationOutcome.Authenticated) outcome).identity();
	}

	String refusal(String token) {
		AuthenticationOutcome outcome = this.verifier.authenticate(token);
		assertThat(outcome).isInstanceOf(AuthenticationOutcome.Rejected.class);
		return ((AuthenticationOutcome.Rejected) outcome).reason();
	}

	@Test
	void rootTokenBecomesACapabilityCallerWithTheAuthorityScopes() {
		MintedCapability minted = this.issuer
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1))
				.withLabel("Order agent"));
		CallerIdentity caller = verified(minted.token());
		assertThat(caller.ownerId()).isEqualTo("agent-1");
		assertThat(caller.ownerLabel()).isEqualTo("Order agent");
		assertThat(caller.keyId()).isEqualTo(minted.keyId()).matches("cap:1#[0-9a-f]{16}");
		assertThat(caller.transport()).isEqualTo(Transport.CAPABILITY);
		assertThat(caller.scopes().asStrings()).containsExactly("orders:*:read");
		assertThat(caller.delegation().depth()).isZero();
		assertThat(caller.delegation().permits("get_order", READ_ORDER)).isTrue();
		assertThat(minted.toString()).doesNotContain(minted.token());
	}

	@Test
	void narrowedTokensShareTheRootKeyIdAndCountTheirDepth() {
		MintedCapability minted = this.issuer
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1)));
		String once = CapabilityTokens.attenuate(minted.token(), Attenuation.none().tools("get_order"));
		String twice = CapabilityTokens.attenuate(once, Attenuation.none().limit("max_rows", 10));
		CallerIdentity caller = verified(twice);
		assertThat(caller.keyId()).isEqualTo(minted.keyId());
		assertThat(caller.delegation().depth()).isEqualTo(2);
	}

	@Test
	void toolRestrictionHoldsAlthoughTheScopesCoverOtherTools() {
		String token = CapabilityTokens.attenuate(mint("orders:*:*"), Attenuation.none().tools("get_order"));
		CallerIdentity caller = verified(token);
		assertThat(caller.holds(CANCEL_ORDER)).isTrue();
		assertThat(caller.delegation().permits("get_order", READ_ORDER)).isTrue();
		assertThat(caller.delegation().permits("cancel_order", CANCEL_ORDER)).isFalse();
	}

	@Test
	void rightsAreTheIntersectionOfEveryBlock() {
		String token = CapabilityTokens.attenuate(mint("orders:*:*"),
				Attenuation.none().tools("get_order", "cancel_order"));
		token = CapabilityTokens.attenuate(token, Attenuation.none().tools("cancel_order", "list_orders"));
		token = CapabilityTokens.attenuate(token, Attenuation.none().scopes("orders:*:read"));
		CallerIdentity caller = verified(token);
		// Only cancel_order is in both tool lists, and the scope block forbids cancelling.
		assertThat(caller.delegation().permits("get_order", READ_ORDER)).isFalse();
		assertThat(caller.delegation().permits("list_orders", READ_ORDER)).isFalse();
		assertThat(caller.delegation().permits("cancel_order", CANCEL_ORDER)).isFalse();
		String readOnly = CapabilityTokens.attenuate(mint("orders:*:*"), Attenuation.none().scopes("orders:*:read"));
		assertThat(verified(readOnly).delegation().permits("get_order", READ_ORDER)).isTrue();
		assertThat(verified(readOnly).delegation().permits("cancel_order", CANCEL_ORDER)).isFalse();
	}

	@Test
	void anAttenuationBlockThatAddsAToolOrAScopeGainsNothing() throws Exception {
		String token = this.issuer.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:order:read")),
				Duration.ofHours(1)).withTools("get_order")).token();
		// Written with Biscuit itself, as an attacker would (the public key is no secret).
		Biscuit biscuit = Biscuit.from_b64url(token, this.rootKey.public_key());
		Block widening = biscuit.create_block();
		widening.add_fact("tool(\"delete_everything\")");
		widening.add_fact("scope(\"orders:*:*\")");
		widening.add_fact("operation(\"connect\")");
		widening.add_fact("subject(\"root\")");
		String widened = biscuit.attenuate(widening).serialize_b64url();

		CallerIdentity caller = verified(widened);
		assertThat(caller.ownerId()).isEqualTo("agent-1");
		assertThat(caller.scopes().asStrings()).containsExactly("orders:order:read");
		assertThat(caller.delegation().permits("delete_everything", READ_ORDER)).isFalse();
		assertThat(caller.delegation().permits("get_order", READ_ORDER)).isTrue();
	}

	@Test
	void aLaterExpiryOrAHigherLimitChangesNothing() {
		MintedCapability minted = this.issuer.mint(CapabilityGrant
			.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1))
			.withLimits(Map.of("max_rows", 100L)));
		String token = CapabilityTokens.attenuate(minted.token(),
				Attenuation.none().limit("max_rows", 1000).expiresAt(Instant.now().plus(Duration.ofDays(365))));
		token = CapabilityTokens.attenuate(token, Attenuation.none().limit("max_rows", 40).limit("max_pages", 3));
		CallerIdentity caller = verified(token);
		assertThat(caller.delegation().limits()).containsExactlyInAnyOrderEntriesOf(Map.of("max_rows", 40L, "max_pages", 3L));
		OptionalLong maxRows = GovernanceContext.callAs(caller, () -> GovernanceContext.limit("max_rows"));
		assertThat(maxRows).hasValue(40);
		assertThat(GovernanceContext.callAs(caller, () -> GovernanceContext.limit("other"))).isEmpty();

		Clock inTwoHours = Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC);
		CapabilityVerifier later = new CapabilityVerifier(new CapabilityKeys(Map.of(1, this.rootKey.public_key())), 8,
				null, inTwoHours);
		assertThat(((AuthenticationOutcome.Rejected) later.authenticate(token)).reason())
			.isEqualTo("The capability token has expired.");
	}

	@Test
	void theCallersValidityEndsAtTheEarliestExpiryOfTheChain() {
		MintedCapability minted = this.issuer
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1)));
		assertThat(verified(minted.token()).validUntil())
			.isEqualTo(minted.expiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
		Instant sooner = Instant.now().plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
		String narrowed = CapabilityTokens.attenuate(minted.token(), Attenuation.none().expiresAt(sooner));
		String later = CapabilityTokens.attenuate(narrowed, Attenuation.none().expiresAt(sooner.plus(Duration.ofDays(1))));
		assertThat(verified(narrowed).validUntil()).isEqualTo(sooner);
		assertThat(verified(later).validUntil()).isEqualTo(sooner);
	}

	@Test
	void expiredTokenIsRefused() {
		CapabilityIssuer yesterday = new CapabilityIssuer(this.rootKey, 1, Duration.ofHours(24),
				Clock.fixed(Instant.now().minus(Duration.ofDays(1)), ZoneOffset.UTC));
		String token = yesterday
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:read")), Duration.ofHours(1)))
			.token();
		assertThat(refusal(token)).isEqualTo("The capability token has expired.");
		String shortened = CapabilityTokens.attenuate(mint("orders:*:read"),
				Attenuation.none().expiresAt(Instant.now().minusSeconds(60)));
		assertThat(refusal(shortened)).isEqualTo("The capability token has expired.");
	}

	@Test
	void tokenSignedWithAnotherKeyUnderATrustedIdHasABadSignature() {
		CapabilityIssuer forger = new CapabilityIssuer(new KeyPair(), 1, Duration.ofHours(24), Clock.systemUTC());
		String forged = forger
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1)))
			.token();
		assertThat(refusal(forged)).isEqualTo("The capability token's signature is not valid.");
	}

	@Test
	void tokenUnderAnUnknownKeyIdOrWithoutOneIsRefused() throws Exception {
		CapabilityIssuer other = new CapabilityIssuer(this.rootKey, 7, Duration.ofHours(24), Clock.systemUTC());
		String unknownId = other
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1)))
			.token();
		assertThat(refusal(unknownId)).isEqualTo("The capability token names a signing key this server does not trust.");
		String noId = Biscuit.builder(this.rootKey).add_authority_fact("subject(\"agent-1\")")
			.add_authority_fact("scope(\"orders:*:*\")")
			.build()
			.serialize_b64url();
		assertThat(refusal(noId)).isEqualTo("The capability token names a signing key this server does not trust.");
	}

	@Test
	void malformedAndEmptyTokensAreRefused() {
		assertThat(refusal("not-a-token")).isEqualTo("The capability token is malformed.");
		assertThat(refusal("%%%")).isEqualTo("The capability token is malformed.");
		assertThat(refusal(" ")).isEqualTo("The capability token is empty.");
		String token = mint("orders:*:read");
		String truncated = token.substring(0, token.length() / 2);
		assertThat(refusal(truncated)).isIn("The capability token is malformed.",
				"The capability token's signature is not valid.");
	}

	@Test
	void tokenWithoutSubjectOrScopeIsRefused() throws Exception {
		String noSubject = Biscuit.builder(new java.security.SecureRandom(), this.rootKey, Option.some(1))
			.add_authority_fact("scope(\"orders:*:*\")")
			.build()
			.serialize_b64url();
		assertThat(refusal(noSubject)).isEqualTo("The capability token is refused by its own checks.");
		String noScope = Biscuit.builder(new java.security.SecureRandom(), this.rootKey, Option.some(1))
			.add_authority_fact("subject(\"agent-1\")")
			.build()
			.serialize_b64url();
		assertThat(refusal(noScope)).isEqualTo("The capability token does not name one subject and its scopes.");
	}

	@Test
	void chainLongerThanTheMaximumIsRefused() {
		CapabilityVerifier shallow = new CapabilityVerifier(new CapabilityKeys(Map.of(1, this.rootKey.public_key())), 1,
				null, Clock.systemUTC());
		String token = CapabilityTokens.attenuate(mint("orders:*:*"), Attenuation.none().tools("get_order"));
		assertThat(shallow.authenticate(token)).isInstanceOf(AuthenticationOutcome.Authenticated.class);
		String deeper = CapabilityTokens.attenuate(token, Attenuation.none().tools("get_order"));
		assertThat(((AuthenticationOutcome.Rejected) shallow.authenticate(deeper)).reason())
			.isEqualTo("The capability token was narrowed more than 1 times.");
	}

	@Test
	void ungovernedToolsAreRefusedOnceScopesAreNarrowed() {
		CallerIdentity caller = verified(mint("orders:*:*"));
		assertThat(caller.delegation().permits("ungoverned_echo", null)).isTrue();
		String narrowed = CapabilityTokens.attenuate(mint("orders:*:*"), Attenuation.none().scopes("orders:*:read"));
		assertThat(verified(narrowed).delegation().permits("ungoverned_echo", null)).isFalse();
	}

	@Test
	void mintingRefusesALongerLifeThanAllowedAndBadInput() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.issuer
			.mint(CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofDays(2))));
		assertThatIllegalArgumentException().isThrownBy(
				() -> CapabilityGrant.of("agent-1", ScopeSet.parse(List.of("orders:*:*")), Duration.ofHours(1))
					.withTools("bad\") or tool(\"x"));
		assertThatIllegalArgumentException().isThrownBy(() -> Attenuation.none().limit("max_rows", -1));
		assertThatIllegalArgumentException().isThrownBy(() -> CapabilityTokens.attenuate(mint("orders:*:*"),
				Attenuation.none()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CapabilityTokens.attenuate("garbage", Attenuation.none().tools("get_order")));
	}

	@Test
	void generatedKeyPairWorksWithBiscuit() throws Exception {
		String[] pair = GenerateCapabilityKeys.newKeyPair();
		KeyPair keyPair = new KeyPair(HexFormat.of().parseHex(pair[0]));
		assertThat(keyPair.public_key()).isEqualTo(new PublicKey(Algorithm.Ed25519, HexFormat.of().parseHex(pair[1])));
		CapabilityIssuer issuer = new CapabilityIssuer(keyPair, 3, Duration.ofHours(1), Clock.systemUTC());
		CapabilityVerifier verifier = new CapabilityVerifier(new CapabilityKeys(Map.of(3,
				new PublicKey(Algorithm.Ed25519, HexFormat.of().parseHex(pair[1])))), 8, null, Clock.systemUTC());
		String token = issuer.mint(CapabilityGrant.of("a", ScopeSet.parse(List.of("orders:*:*")), Duration.ofMinutes(5)))
			.token();
		assertThat(verifier.authenticate(token)).isInstanceOf(AuthenticationOutcome.Authenticated.class);
	}

}
