-- API keys: the secret is never stored, only its HMAC-SHA-256 under the server's pepper.
CREATE TABLE mcp_governance_api_key (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    key_hash       CHAR(64)      NOT NULL,
    owner_id       VARCHAR(200)  NOT NULL,
    owner_label    VARCHAR(200),
    scopes         VARCHAR(4000) NOT NULL,
    rate_limit_rpm INTEGER,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE,
    revoked_at     TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_mcp_governance_api_key_hash UNIQUE (key_hash),
    CONSTRAINT ck_mcp_governance_api_key_rpm CHECK (rate_limit_rpm IS NULL OR rate_limit_rpm > 0)
);

CREATE INDEX ix_mcp_governance_api_key_owner ON mcp_governance_api_key (owner_id);
