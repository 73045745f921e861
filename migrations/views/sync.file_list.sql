-- The files processes keep (pasi-initialization.log, the extract files, ...), with their job.
CREATE OR REPLACE VIEW sync.file_list AS
SELECT f.job_id, coalesce(nullif(k.title, ''), j.kind) AS job_title, f.name, octet_length(f.content) AS bytes,
       f.created_at
FROM sync.job_files f
LEFT JOIN queue.jobs j ON j.id = f.job_id
LEFT JOIN queue.job_kinds k ON k.name = j.kind
ORDER BY f.job_id DESC, f.name;
