import Corpus
import FactoryCore
import FactoryNumerics
import Foundation
import Testing

@testable import Curation

@Suite struct QualityClassifierTests {
    @Test func noiseClassifierSeparatesHeldOutCorruptedFromCleanDocuments() throws {
        let config = QualityTestSupport.config()
        let corpus =
            try QualityTestSupport.biblePassages()
            + SyntheticMath.documents(count: 40, seed: 5, sourceName: "synthetic-math", domain: "math")
        let data = QualityTrainingData(config: config, configFile: "test.toml")
        let (examples, labels) = try data.noiseExamples(corpus: corpus)
        #expect(labels == "bootstrap:corruption")
        #expect(examples.count == 2 * corpus.count)
        let trainer = QualityClassifierTrainer(features: config.features, maxIterations: 100, heldOutFraction: 0.3, seed: 7, pool: .machineWide)
        let classifier = try trainer.train(axis: .noise, examples: examples, labels: labels)
        let summary = classifier.training
        #expect(summary.heldOutExamples > 50)
        #expect(summary.heldOutAUC > 0.9, "held-out AUC \(summary.heldOutAUC)")

        // Documents never seen in training, corrupted with another seed, score lower than their originals.
        let fresh = SyntheticMath.documents(count: 30, seed: 99, sourceName: "synthetic-math", domain: "math")
        let corruptor = NoiseCorruptor(stream: RandomStream(seed: 1234))
        let extractor = QualityFeatureExtractor(config: config.features)
        var scratch = FeatureHasher.Scratch(for: extractor.hasher)
        var scores = [Double]()
        var isClean = [Bool]()
        for document in fresh {
            scores.append(classifier.probability(extractor.extract(document.text, scratch: &scratch)))
            isClean.append(true)
            let corrupted = corruptor.corrupt(document.text, key: document.id).text
            scores.append(classifier.probability(extractor.extract(corrupted, scratch: &scratch)))
            isClean.append(false)
        }
        let freshAUC = try ROCAUC.compute(scores: scores, labels: isClean)
        #expect(freshAUC > 0.9, "AUC on fresh documents \(freshAUC)")
    }

    @Test func trainingIsBitwiseTheSameOnAnyThreadCount() throws {
        let config = QualityTestSupport.config()
        let corpus = Array(try QualityTestSupport.biblePassages().prefix(40))
        let (examples, labels) = try QualityTrainingData(config: config, configFile: "test.toml").noiseExamples(corpus: corpus)
        let models = try [1, 3].map { threads in
            try QualityClassifierTrainer(features: config.features, maxIterations: 30, seed: 2, pool: ThreadPool(threadCount: threads))
                .train(axis: .noise, examples: examples, labels: labels)
        }
        #expect(models[0] == models[1])
    }

    @Test func informationBootstrapLabelsBySourceAndNamesUnknownSources() throws {
        var config = QualityTestSupport.config()
        config.information.positiveSources = ["bible-kjv"]
        let corpus =
            Array(try QualityTestSupport.biblePassages().prefix(10))
            + SyntheticMath.documents(count: 8, seed: 1, sourceName: "synthetic-math", domain: "math")
        let (examples, labels) = try QualityTrainingData(config: config, configFile: "c.toml").informationExamples(corpus: corpus)
        #expect(labels == "bootstrap:sources")
        #expect(examples.filter { $0.target == 1 }.count == 10)
        #expect(examples.filter { $0.target == 0 }.count == 8)
        config.information.positiveSources = ["bible-kjv", "encyclopedia"]
        #expect(
            throws: FactoryError.config(
                file: "c.toml", keyPath: "information.positive_sources[1]", line: nil,
                message: "no source 'encyclopedia' in the corpus (its sources: bible-kjv, synthetic)")
        ) {
            try QualityTrainingData(config: config, configFile: "c.toml").informationExamples(corpus: corpus)
        }
    }

    @Test func corruptionsAreDeterministicAndDetectable() {
        let text = "It's a \"quoted\" line - with dashes.\nThe second line is here.\nAnd a third one, for good measure.\nFourth line."
        let corruptor = NoiseCorruptor(stream: RandomStream(seed: 3))
        #expect(corruptor.corrupt(text, key: "a").text == corruptor.corrupt(text, key: "a").text)
        var choices = SeededChoices(RandomStream(seed: 4))
        let clean = QualitySignals.compute(text)
        let boilerplate = QualitySignals.compute(corruptor.apply(.boilerplate, to: text, choices: &choices))
        #expect(boilerplate[.lineCount] > clean[.lineCount])
        let mojibake = QualitySignals.compute(corruptor.apply(.mojibake, to: text, choices: &choices))
        #expect(mojibake[.mojibakeFraction] > 0 && clean[.mojibakeFraction] == 0)
        let markup = QualitySignals.compute(corruptor.apply(.markup, to: text, choices: &choices))
        #expect(markup[.markupFraction] > 0 && clean[.markupFraction] == 0)
        let repeated = QualitySignals.compute(corruptor.apply(.repeatedLines, to: text, choices: &choices))
        #expect(repeated[.duplicateLineFraction] > 0 && clean[.duplicateLineFraction] == 0)
        for corruption in NoiseCorruptor.Corruption.allCases {
            var draws = SeededChoices(RandomStream(seed: 5))
            #expect(corruptor.apply(corruption, to: text, choices: &draws) != text, "\(corruption) left the text unchanged")
        }
    }

    @Test func modelFilesRoundTripAndNameBadFields() throws {
        let documents = Array(try QualityTestSupport.biblePassages().prefix(5))
        let classifier = QualityTestSupport.randomClassifier(axis: .information, seed: 1, documents: documents)
        let folder = try QualityTestSupport.temporaryDirectory()
        let path = "\(folder)/information.json"
        try classifier.write(toPath: path)
        #expect(try QualityClassifier.read(path: path) == classifier)

        let text = try String(contentsOfFile: path, encoding: .utf8)
        func expectFailure(_ edited: String, _ reason: String) throws {
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: FactoryError.corrupt(path: path, reason: reason)) { try QualityClassifier.read(path: path) }
        }
        try expectFailure(text.replacingOccurrences(of: "\"bias\"", with: "\"offset\""), "field 'bias' is missing")
        try expectFailure(
            text.replacingOccurrences(of: "\"axis\" : \"information\"", with: "\"axis\" : \"beauty\""),
            "field 'axis': expected one of noise, information, found 'beauty'")
        try expectFailure(
            text.replacingOccurrences(of: "\"dimension_bits\" : 14", with: "\"dimension_bits\" : \"14\""),
            "field 'features.dimension_bits': expected Int")
        try expectFailure(
            text.replacingOccurrences(of: "\"indices\" : [\n      0,", with: "\"indices\" : [\n      99999999,"),
            "field 'weights.indices[0]': indices must increase and stay below \(classifier.features.dimension), found 99999999")
    }

    @Test func labelledFilesAreReadAndBadLinesNamed() throws {
        let folder = try QualityTestSupport.temporaryDirectory()
        let path = "\(folder)/labels.jsonl"
        try "{\"text\": \"good\", \"label\": 1, \"id\": \"g\"}\n{\"text\": \"meh\", \"score\": 0.25}\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            try LabelledTextReader.read(path: path) == [
                QualityExample(text: "good", target: 1, group: "g"), QualityExample(text: "meh", target: 0.25, group: "line 2"),
            ])
        try "{\"text\": \"good\", \"label\": 1}\n{\"text\": \"bad\", \"label\": 2}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: FactoryError.corrupt(path: path, reason: "line 2: field 'label' must be 0 or 1")) {
            try LabelledTextReader.read(path: path)
        }
        try "{\"text\": \"x\", \"score\": 1.5}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: FactoryError.corrupt(path: path, reason: "line 1: field 'score' must be in [0, 1], found 1.5")) {
            try LabelledTextReader.read(path: path)
        }
    }
}
