"""Porte Ouverte's tests of the PFIF 1.4 tables added to the validator."""

import io
import os
import unittest

from pfif_validator import PfifValidator

HERE = os.path.dirname(os.path.abspath(__file__))

VALID = """<?xml version="1.0" encoding="UTF-8"?>
<pfif:pfif xmlns:pfif="http://zesty.ca/pfif/1.4">
  <pfif:person>
    <pfif:person_record_id>abri.example.org/person.1</pfif:person_record_id>
    <pfif:entry_date>2026-11-13T22:10:00Z</pfif:entry_date>
    <pfif:expiry_date>2026-12-13T22:10:00Z</pfif:expiry_date>
    <pfif:author_name>Porte Ouverte</pfif:author_name>
    <pfif:source_name>Porte Ouverte</pfif:source_name>
    <pfif:source_date>2026-11-13T21:40:00Z</pfif:source_date>
    <pfif:full_name>Samira Haddad</pfif:full_name>
    {extra}
    <pfif:note>
      <pfif:note_record_id>abri.example.org/note.1</pfif:note_record_id>
      <pfif:person_record_id>abri.example.org/person.1</pfif:person_record_id>
      <pfif:entry_date>2026-11-13T22:10:00Z</pfif:entry_date>
      <pfif:author_name>Porte Ouverte</pfif:author_name>
      <pfif:source_date>2026-11-13T22:10:00Z</pfif:source_date>
      <pfif:status>believed_alive</pfif:status>
      {note_extra}
      <pfif:text>Reported safe and sheltered.</pfif:text>
    </pfif:note>
  </pfif:person>
</pfif:pfif>
"""


def messages(extra="", note_extra=""):
    xml = VALID.format(extra=extra, note_extra=note_extra)
    validator = PfifValidator(io.StringIO(xml))
    return [m.category for m in validator.run_validations()]


class Pfif14Tests(unittest.TestCase):

    def test_a_well_formed_record_gives_no_message(self):
        self.assertEqual(messages(), [])

    def test_the_fields_new_in_1_4_are_known(self):
        self.assertEqual(messages(
            extra="<pfif:given_name>Samira</pfif:given_name>"
                  "<pfif:family_name>Haddad</pfif:family_name>"
                  "<pfif:alternate_names>S. Haddad\nSamira H.</pfif:alternate_names>"
                  "<pfif:description>Red coat</pfif:description>"
                  "<pfif:profile_urls>https://a.example/1\nhttps://b.example/2"
                  "</pfif:profile_urls>",
            note_extra="<pfif:author_made_contact>true</pfif:author_made_contact>"
                       "<pfif:photo_url>https://a.example/p.jpg</pfif:photo_url>"),
            [])

    def test_fields_removed_in_1_4_are_extraneous(self):
        self.assertEqual(messages(extra="<pfif:first_name>Samira</pfif:first_name>"),
                         ['Extraneous Tag.'])
        self.assertEqual(messages(note_extra="<pfif:found>true</pfif:found>"),
                         ['Extraneous Tag.'])

    def test_formats_are_checked(self):
        bad = 'The text in one of your fields does not match the requirement in the specification.'
        self.assertEqual(messages(
            note_extra="<pfif:author_made_contact>yes</pfif:author_made_contact>"), [bad])
        self.assertEqual(messages(
            note_extra="<pfif:photo_url>ftp://a.example/p.jpg</pfif:photo_url>"), [bad])
        # a record id must be domain/id: what a default install got wrong
        xml = VALID.format(extra="", note_extra="").replace(
            "abri.example.org/person.1", "127.0.0.1:8080/person.1")
        found = [m.category for m in PfifValidator(io.StringIO(xml)).run_validations()]
        self.assertIn(bad, found)

    def test_person_finders_own_1_4_record_uses_only_1_4_fields(self):
        with open(os.path.join(HERE, 'test.pfif-1.4.xml')) as f:
            found = PfifValidator(f).run_validations()
        self.assertNotIn('Extraneous Tag.', [m.category for m in found])


if __name__ == '__main__':
    unittest.main()
