import BoxOS

/// Docker-style generated names: adjective_scientist.
enum NameGenerator {
    static let adjectives = [
        "admiring", "brave", "clever", "dazzling", "eager", "festive", "gallant", "happy", "inspiring",
        "jolly", "keen", "loving", "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed",
        "serene", "tender", "upbeat", "vibrant", "wizardly", "youthful", "zealous", "bold", "calm",
        "dreamy", "elastic", "focused",
    ]
    static let names = [
        "hopper", "lovelace", "turing", "curie", "noether", "shannon", "ritchie", "thompson", "torvalds",
        "knuth", "dijkstra", "lamport", "liskov", "hamilton", "goldwasser", "sejong", "jang", "heo",
        "ramanujan", "euler", "gauss", "kepler", "meitner", "franklin", "wozniak", "cerf", "kahn",
        "allen", "bell", "pike",
    ]

    static func random() -> String {
        let bytes = Random.bytes(2)
        return adjectives[Int(bytes[0]) % adjectives.count] + "_" + names[Int(bytes[1]) % names.count]
    }
}
