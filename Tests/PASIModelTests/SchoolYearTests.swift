import PASIModel
import Testing

@Suite struct SchoolYearTests {
    @Test func endYearIsPASIsInteger() throws {
        let year = try SchoolYear(endYear: 2019)
        #expect(year.sisStartYear == 2018)
        #expect(year.description == "2018/2019")
    }

    @Test(arguments: [1904, 1950, 2018, 2099])
    func sisStartYearRoundTrips(start: Int) throws {
        let year = try SchoolYear(sisStartYear: start)
        #expect(year.endYear == start + 1)
        #expect(year.sisStartYear == start)
        #expect(try SchoolYear(year.description) == year)
    }

    @Test func boundsAre1905To2100() throws {
        #expect(try SchoolYear(endYear: 1905).endYear == 1905)
        #expect(try SchoolYear(endYear: 2100).endYear == 2100)
        let low = expectModelError { _ = try SchoolYear(endYear: 1904) }
        #expect(low?.code == .outOfRange)
        #expect(low?.description == "SchoolYear must end in a year from 1905 to 2100, got 1904")
        #expect(expectModelError { _ = try SchoolYear(endYear: 2101) }?.code == .outOfRange)
        #expect(expectModelError { _ = try SchoolYear(sisStartYear: 2100) }?.code == .outOfRange)
        #expect(try SchoolYear(endYear: 2100).next == nil)
        #expect(try SchoolYear(endYear: 1905).previous == nil)
    }

    @Test func parsesSlashAndHyphen() throws {
        #expect(try SchoolYear("2017/2018").endYear == 2018)
        #expect(try SchoolYear("2017-2018").endYear == 2018)
    }

    @Test(arguments: ["2017/2019", "2018/2017", "2018", "18/19", "0000-0000", "2017/2018/2019", "2017 /2018"])
    func refusesMalformedText(text: String) {
        #expect(expectModelError { _ = try SchoolYear(text) } != nil)
    }

    @Test func acceptedWindowIsTwoBackOneAhead() throws {
        #expect(SchoolYear.acceptedWindow(currentYear: 2024) == 2022...2025)
        #expect(SchoolYear.acceptedWindow(today: Sample.date("2024-09-01")) == 2022...2025)
        #expect(try SchoolYear(endYear: 2022).isInAcceptedWindow(currentYear: 2024))
        #expect(try SchoolYear(endYear: 2025).isInAcceptedWindow(currentYear: 2024))
        #expect(try !SchoolYear(endYear: 2021).isInAcceptedWindow(currentYear: 2024))
        #expect(try !SchoolYear(endYear: 2026).isInAcceptedWindow(currentYear: 2024))
    }

    @Test func codableIsTheEndYearInteger() throws {
        #expect(try JSONRoundTrip.encode(Sample.year) == "2019")
        #expect(try JSONRoundTrip.decode(SchoolYear.self, from: "2019") == Sample.year)
        #expect(throws: PASIModelError.self) { try JSONRoundTrip.decode(SchoolYear.self, from: "1800") }
    }
}

/// Current School Year for Synchronization as the seed shows it: `2017-2018`, and `0000-0000`
/// before PASI's code values name one (/work/shared/seed, "Current School Year for
/// Synchronization"; issue 20 item 7).
@Suite struct SchoolYearSettingFormatTests {
    @Test func shownAsTheSeedShowsIt() throws {
        let year = try SchoolYear(endYear: 2018)
        #expect(year.hyphenated == "2017-2018")
        #expect(SettingValue.schoolYear(year).description == "2017-2018")
        #expect(SettingValue.schoolYear(nil).description == "0000-0000")
        let definition = try #require(SettingsCatalogue.all.first { $0.key == .currentSchoolYear })
        // Either spelling is read; the seed's is what is kept and shown.
        #expect(try definition.parse("2017/2018").description == "2017-2018")
        #expect(try definition.parse("2017-2018").description == "2017-2018")
        #expect(definition.allowed == "a school year YYYY-YYYY")
    }

    @Test func schoolYearOfADate() throws {
        // A school year runs September 1 to August 31
        // (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_40309.html).
        #expect(try SchoolYear(containing: PASIDate(year: 2018, month: 8, day: 31)).endYear == 2018)
        #expect(try SchoolYear(containing: PASIDate(year: 2018, month: 9, day: 1)).endYear == 2019)
    }

    @Test func windowByCalendarYear() throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/synchronizing_data_with_pasi.html:
        // the same four years from January to December of one calendar year.
        #expect(SchoolYear.acceptedWindow(today: try PASIDate(year: 2018, month: 9, day: 1)) == 2016...2019)
        #expect(SchoolYear.acceptedWindow(today: try PASIDate(year: 2018, month: 12, day: 31)) == 2016...2019)
        #expect(SchoolYear.acceptedWindow(today: try PASIDate(year: 2019, month: 1, day: 1)) == 2017...2020)
    }
}
