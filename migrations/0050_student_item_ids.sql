-- PASI's own ids of a student's addresses and phones (issue 20). PASI names the address a
-- correction or a delete is for by its id, "the StudentAddressId", and a phone by "the RefId
-- property on the PhoneNumber"; a new one is sent with RefId 0 (rule 9006: "A Reference ID of 0
-- in the service request will pass this rule"). Those ids are numbers, where the local copy's
-- ref_id is a uuid of its own making (the ASN and the item's position): pasi_id keeps PASI's.
-- Rows stored before this migration have none until their student is next downloaded (by the
-- change feed or Hash Synchronization): until then a change to one is sent as a new item.
ALTER TABLE pasi.student_addresses ADD COLUMN pasi_id bigint;
ALTER TABLE pasi.student_phones ADD COLUMN pasi_id bigint;

-- The Address Format code value (V2019 SubmitStudentAddressRequest's required Format; "Mail-CA"
-- is PASI's default, https://extranet.education.alberta.ca/pasidevnet/Docs/Business/address_format_student_address.html).
ALTER TABLE pasi.student_addresses ADD COLUMN address_format text;

-- A student's address types are Mailing and Physical ("The drop down list is restricted to only
-- Mailing (Address Type) and Physical values",
-- https://extranet.education.alberta.ca/pasidevnet/Docs/Business/address_type_student_address.html);
-- this project called the second one Permanent, as the SIS does.
ALTER TABLE pasi.student_addresses DROP CONSTRAINT address_type_is_mailing_or_permanent;
UPDATE pasi.student_addresses SET address_type = 'Physical' WHERE address_type = 'Permanent';
ALTER TABLE pasi.student_addresses
    ADD CONSTRAINT address_type_is_mailing_or_physical CHECK (address_type IN ('Mailing', 'Physical'));
