-- credits: a checkout session that Stripe reports expired (checkout.session.expired) is marked
-- EXPIRED, a final state: a paid event arriving for it later is never credited (credits.CardWebhooks,
-- docs/decisions.md "Expired checkout sessions").
alter table credits_card_session drop constraint credits_card_session_status_check;
alter table credits_card_session add constraint credits_card_session_status_check
    check (status in ('OPEN', 'PAID', 'EXPIRED'));
alter table credits_card_session add column expired_at timestamptz;
-- paid and expired exclude each other
alter table credits_card_session add constraint credits_card_session_expired_unpaid
    check ((status = 'EXPIRED') = (expired_at is not null) and (status <> 'EXPIRED' or paid_at is null));
