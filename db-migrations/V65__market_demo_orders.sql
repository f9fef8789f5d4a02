-- Demo mode: when the demo customers' orders were placed (market.DemoNetwork, once the demo GPUs are
-- in service, some time after the network was seeded); null until then.
alter table market_demo add column orders_seeded_at timestamptz;
