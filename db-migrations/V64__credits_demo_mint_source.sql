-- Demo mode (bc.demo.enabled) gives the demo network's customers Data Credits from a source of its
-- own, DEMO (credits.Credits.grantDemoCredits, refused when demo mode is off), so that the ledger
-- never counts a demo's DCs as bought by a token burn or a card payment.
alter table credits_account drop constraint credits_account_source_check;
alter table credits_account add constraint credits_account_source_check check (source in ('BURN', 'CARD', 'DEMO'));
