-- The sample app's own table, migrated by the app's own Flyway (history: flyway_schema_history),
-- next to the starter's migrations (history: mcp_governance_schema_history).
CREATE TABLE sample_order (
    id         VARCHAR(40)    NOT NULL PRIMARY KEY,
    customer   VARCHAR(100)   NOT NULL,
    item       VARCHAR(200)   NOT NULL,
    quantity   INTEGER        NOT NULL,
    total      DECIMAL(12, 2) NOT NULL,
    status     VARCHAR(20)    NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO sample_order (id, customer, item, quantity, total, status, created_at) VALUES
    ('ord_1001', 'cust_ada', 'Mechanical keyboard', 1, 129.00, 'open', TIMESTAMP WITH TIME ZONE '2026-11-01 09:00:00+00'),
    ('ord_1002', 'cust_grace', 'USB-C dock', 2, 178.50, 'open', TIMESTAMP WITH TIME ZONE '2026-11-02 10:30:00+00'),
    ('ord_1003', 'cust_linus', 'Monitor arm', 1, 59.90, 'cancelled', TIMESTAMP WITH TIME ZONE '2026-11-03 14:15:00+00');
