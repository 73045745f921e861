/// The fixed word pools synthetic people and places are drawn from. Entries are unique
/// within each pool, so picking a different index always yields a different value
/// (the planted name and address discrepancies rely on that).
enum NamePools {
    static let maleFirst = [
        "Liam", "Noah", "Oliver", "William", "Elijah", "James", "Benjamin", "Lucas", "Henry", "Alexander",
        "Mason", "Michael", "Ethan", "Daniel", "Jacob", "Logan", "Jackson", "Levi", "Sebastian", "Mateo",
        "Jack", "Owen", "Theodore", "Aiden", "Samuel", "Joseph", "John", "David", "Wyatt", "Matthew",
        "Luke", "Asher", "Carter", "Julian", "Grayson", "Leo", "Jayden", "Gabriel", "Isaac", "Lincoln",
    ]
    static let femaleFirst = [
        "Olivia", "Emma", "Charlotte", "Amelia", "Ava", "Sophia", "Isabella", "Mia", "Evelyn", "Harper",
        "Luna", "Camila", "Gianna", "Elizabeth", "Eleanor", "Ella", "Abigail", "Sofia", "Avery", "Scarlett",
        "Emily", "Aria", "Penelope", "Chloe", "Layla", "Mila", "Nora", "Hazel", "Madison", "Ellie",
        "Lily", "Nova", "Isla", "Grace", "Violet", "Aurora", "Riley", "Zoey", "Willow", "Emilia",
    ]
    static let middle = [
        "Marie", "Lynn", "Rose", "Grace", "Anne", "James", "Lee", "Ray", "Jean", "Paul",
        "Louise", "Kai", "Alexander", "Elizabeth", "Thomas", "Joy", "Mae", "Robert", "Jade", "Quinn",
    ]
    static let last = [
        "Smith", "Brown", "Tremblay", "Martin", "Roy", "Wilson", "MacDonald", "Gagnon", "Johnson", "Taylor",
        "Cote", "Campbell", "Anderson", "Leblanc", "Lee", "Jones", "White", "Williams", "Miller", "Thompson",
        "Gauthier", "Young", "Van", "Morin", "Bouchard", "Scott", "Stewart", "Belanger", "Reid", "Pelletier",
        "Moore", "Lavoie", "King", "Robinson", "Levesque", "Murphy", "Fortin", "Gagne", "Wong", "Clark",
        "Johnston", "Clarke", "Ross", "Walker", "Thomas", "Boucher", "Landry", "Kelly", "Bergeron", "Singh",
        "Nguyen", "Chen", "Patel", "Cardinal", "Bear", "Gladue", "Laboucan", "Kowalski", "Schmidt", "Hansen",
        "Olsen", "Friesen", "Penner", "Dyck", "Klassen", "Fehr", "Wiebe", "Hiebert", "Janzen", "Reimer",
    ]
    static let streets = [
        "Jasper", "Whyte", "Macleod", "Elbow", "Bow", "Crowchild", "Sarcee", "Heritage", "Glenmore", "Gaetz",
        "Mayor Magrath", "Scenic", "Rainbow", "Lakeview", "Aspen", "Poplar", "Spruce", "Tamarack", "Willow", "Birch",
        "Prairie", "Coulee", "Chinook", "Foothills", "Ridge", "Meadow", "Cedar", "Pine", "Maple", "Elm",
    ]
    static let streetKinds = ["Street", "Avenue", "Drive", "Road", "Crescent", "Way", "Boulevard", "Close"]
    static let cities = [
        "Edmonton", "Calgary", "Red Deer", "Lethbridge", "St. Albert", "Medicine Hat", "Grande Prairie",
        "Airdrie", "Spruce Grove", "Leduc", "Fort Saskatchewan", "Lloydminster", "Camrose", "Cochrane",
        "Okotoks", "Brooks", "Wetaskiwin", "Lacombe", "Canmore", "Sylvan Lake",
    ]
    /// Letters Canada Post uses in postal codes.
    static let postalLetters = Array("ABCEGHJKLMNPRSTVWXYZ")
    /// Alberta's area codes.
    static let areaCodes = ["780", "403", "587", "825", "368"]
}
