/// Word problems for ``SyntheticMath``: everyday situations whose numbers appear in the
/// statement in a fixed order per template, with a worked solution in sentences.
enum SyntheticWordProblems {
    /// The templates; the statement's integers, in order, are the inputs listed here.
    enum Template: String, CaseIterable {
        /// count, price, bill → bill − count·price
        case change
        /// total, friends → total ÷ friends (whole part)
        case sharing
        /// speed, hours → speed·hours
        case distance
        /// rate, pages → pages ÷ rate
        case rate
        /// difference, sum → (sum − difference) ÷ 2
        case ages
        /// price, percent → price − price·percent ÷ 100
        case discount
    }

    private static let names = ["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonah", "Kemi", "Luis"]
    private static let items = ["apples", "pencils", "stickers", "marbles", "cookies", "books", "shells", "cards"]

    static func make(_ draw: inout SyntheticDraw) -> SyntheticMath.Problem {
        let template = draw.pick(Template.allCases)
        let name = draw.pick(names)
        var other = draw.pick(names)
        while other == name { other = draw.pick(names) }
        let item = draw.pick(items)
        let statement: String
        let steps: [String]
        let answer: Int
        switch template {
        case .change:
            let count = draw.int(2...9)
            let price = draw.int(2...15)
            let bill = [20, 50, 100, 200].first { $0 > count * price }!
            answer = bill - count * price
            statement =
                "\(name) buys \(count) \(item) at \(price) dollars each and pays with a \(bill)-dollar bill. How many dollars of change does \(name) get back?"
            steps = [
                "The \(item) cost \(count) × \(price) = \(count * price) dollars.",
                "The change is \(bill) - \(count * price) = \(answer) dollars.",
            ]
        case .sharing:
            let friends = draw.int(2...9)
            let each = draw.int(2...15)
            let remainder = draw.int(0...(friends - 1))
            let total = friends * each + remainder
            answer = each
            statement =
                "\(name) has \(total) \(item) and shares them equally among \(friends) friends, keeping any that are left over. How many \(item) does each friend get?"
            steps = [
                "Divide \(total) by \(friends): \(friends) × \(each) = \(friends * each), which leaves \(remainder).",
                "Each friend gets \(each) \(item), and \(name) keeps \(remainder).",
            ]
        case .distance:
            let speed = draw.int(4...30) * 5
            let hours = draw.int(2...8)
            answer = speed * hours
            statement = "A train travels at \(speed) kilometres per hour for \(hours) hours. How many kilometres does it travel?"
            steps = ["Distance is speed times time: \(speed) × \(hours) = \(answer) kilometres."]
        case .rate:
            let rate = draw.int(3...20)
            let minutes = draw.int(2...15)
            answer = minutes
            statement = "A printer prints \(rate) pages per minute. How many minutes does it take to print \(rate * minutes) pages?"
            steps = ["Time is pages divided by rate: \(rate * minutes) ÷ \(rate) = \(minutes) minutes."]
        case .ages:
            let younger = draw.int(3...40)
            let difference = draw.int(1...30)
            let sum = 2 * younger + difference
            answer = younger
            statement = "\(name) is \(difference) years older than \(other). Together their ages add up to \(sum). How old is \(other)?"
            steps = [
                "Without the \(difference)-year difference the ages add up to \(sum) - \(difference) = \(sum - difference).",
                "That is twice \(other)'s age, so \(other) is \(sum - difference) ÷ 2 = \(younger) years old.",
            ]
        case .discount:
            let percent = draw.pick([10, 20, 25, 50])
            let price = draw.int(1...20) * 20
            let saving = price * percent / 100
            answer = price - saving
            statement = "A jacket costs \(price) dollars and is on sale for \(percent) percent off. What is the sale price in dollars?"
            steps = [
                "The discount is \(percent)% of \(price) = \(price) × \(percent) ÷ 100 = \(saving) dollars.",
                "The sale price is \(price) - \(saving) = \(answer) dollars.",
            ]
        }
        return SyntheticMath.Problem(
            kind: .wordProblem, statement: statement, steps: steps, answer: "\(answer)", template: template.rawValue)
    }
}
