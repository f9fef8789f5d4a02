-- Demo certificates (demo mode, bc.demo.enabled): issued by the server to the demo network's GPUs
-- without a report, marked as such, and valid only while demo mode is on (gpu.Certification).
alter table gpu_certificate add column demo boolean not null default false;
alter table gpu_certificate alter column report_id drop not null;
alter table gpu_certificate add constraint gpu_certificate_report check (demo or report_id is not null);
