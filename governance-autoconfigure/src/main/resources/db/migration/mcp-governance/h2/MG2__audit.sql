-- The audit trail: one row per tool call. Argument values are never stored, only their shape.
-- Rows are hash-chained per writer stream (stream_id, stream_seq): row_hash = SHA-256 over the
-- row's fields and prev_hash, so an edited or deleted row breaks the chain.
CREATE TABLE mcp_governance_audit (
    id             VARCHAR(64)   NOT NULL PRIMARY KEY,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    request_id     VARCHAR(64)   NOT NULL,
    key_id         VARCHAR(200),
    owner_id       VARCHAR(200),
    owner_label    VARCHAR(200),
    tenant         VARCHAR(200),
    transport      VARCHAR(16),
    domain         VARCHAR(100),
    tool           VARCHAR(200)  NOT NULL,
    resource       VARCHAR(100),
    action         VARCHAR(100),
    outcome        VARCHAR(32)   NOT NULL,
    error_code     VARCHAR(32),
    data_source    VARCHAR(200),
    cache_hit      BOOLEAN       NOT NULL,
    latency_us     BIGINT        NOT NULL,
    argument_shape VARCHAR(4000),
    trace_id       VARCHAR(64),
    span_id        VARCHAR(32),
    stream_id      VARCHAR(64)   NOT NULL,
    stream_seq     BIGINT        NOT NULL,
    prev_hash      CHAR(64)      NOT NULL,
    row_hash       CHAR(64)      NOT NULL,
    CONSTRAINT uq_mcp_governance_audit_stream UNIQUE (stream_id, stream_seq)
);

CREATE INDEX ix_mcp_governance_audit_time ON mcp_governance_audit (occurred_at);
CREATE INDEX ix_mcp_governance_audit_owner ON mcp_governance_audit (owner_id, occurred_at);
CREATE INDEX ix_mcp_governance_audit_tool ON mcp_governance_audit (tool, occurred_at);
