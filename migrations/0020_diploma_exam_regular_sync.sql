-- Diploma exams kept in step by PASI Data Available (issue 11): what a run of the Diploma Exam
-- and Official Marks Updates read but left alone because the course enrolment's stored grade has
-- its Transcript or Diploma Mark PS_UPDATED set (criterion 7), e.g. a rescore PASI sent after the
-- grade was written. A person sees them here and in the job's message (docs/diploma-exams.md).
ALTER TABLE sync.exam_marks_updates
    ADD COLUMN held_ps_updated integer NOT NULL DEFAULT 0;
